import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import type { Outage, Ticket } from '../api/types';
import { ErrorText, Field } from '../components/field';
import { OutageMoveForm } from '../components/status-move-form';
import { TicketTimeline } from '../components/ticket-timeline';
import { UnitPicker, useUnits, useZoneOf } from '../components/unit-picker';
import { formatDateTime, formatNumber, isoToZonedInput, zonedInputToIso, zoneName } from '../format';
import { ATTACH_REFUSAL_LABEL, OUTAGE_ACTIVE, OUTAGE_ACTIVE_DEFINITION, STATUS_LABEL } from '../labels';
import type { Session } from '../session';

/** How the ETR is typed: the wall clock of the outage's unit, named (R-O1; API.md a unit's timeZone). */
const PAGE = 200; // an outage's reports listed at once

const zoneHint = (timeZone: string) => `Waktu unit: ${zoneName(timeZone)} (${timeZone})`;

/**
 * Padam meluas (R-O1…R-O4): the unit declares an outage, attaches its open Gangguan tickets, moves the
 * outage's status (the service propagates it to every attached ticket, R-O3) and changes the ETR.
 */
export function OutagesPage({ session }: { session: Session }) {
  const unitCode = session.unit ?? undefined;
  const [selected, setSelected] = useState<string | null>(null);
  const zoneOf = useZoneOf();
  // one reading of "active" (the service's ?active=true): before Nyala; at Nyala an outage is no longer
  // active but, not final, still awaits the unit's Selesai (or Batal), so it is listed apart
  const outages = useQuery({
    queryKey: ['outages', unitCode ?? '*'],
    queryFn: async () => {
      const [active, inactive] = await Promise.all(
        (['true', 'false'] as const).map(async (flag) => must(await api.GET('/api/v1/outages', { params: { query: { unitCode, active: flag, limit: 100 } } })).items),
      );
      return { active, awaiting: inactive.filter((o) => o.status === 'NYALA') };
    },
  });
  const item = (o: Outage) => (
    <li key={o.id}>
      <button type="button" className={o.id === selected ? '' : 'secondary'} aria-pressed={o.id === selected} onClick={() => setSelected(o.id)}>
        {o.title} · {STATUS_LABEL[o.status]} · {formatNumber(o.openTicketCount)}/{formatNumber(o.ticketCount)} tiket · ETR {formatDateTime(o.etr, zoneOf(o.unitCode))}
      </button>
    </li>
  );
  return (
    <div className="outages">
      <h1>Padam Meluas {unitCode ? `· unit ${unitCode}` : ''}</h1>
      <div className="split">
        <section aria-labelledby="daftar-padam">
          <h2 id="daftar-padam">Padam aktif</h2>
          <p className="help definition" data-testid="definisi-padam-aktif">
            {OUTAGE_ACTIVE_DEFINITION}
          </p>
          <ErrorText error={outages.error} />
          {outages.data?.active.length === 0 && <p>Tidak ada padam meluas aktif.</p>}
          <ul className="plain" aria-label="Padam aktif">
            {outages.data?.active.map(item)}
          </ul>
          {(outages.data?.awaiting.length ?? 0) > 0 && (
            <>
              <h3 id="padam-menunggu">Sudah nyala, menunggu Selesai</h3>
              <ul className="plain" aria-labelledby="padam-menunggu">
                {outages.data?.awaiting.map(item)}
              </ul>
            </>
          )}
          <DeclareForm session={session} onDeclared={setSelected} />
        </section>
        <section aria-labelledby="rincian-padam">
          <h2 id="rincian-padam">Rincian</h2>
          {selected ? <OutageDetail key={selected} id={selected} /> : <p className="help">Pilih atau nyatakan padam meluas.</p>}
        </section>
      </div>
    </div>
  );
}

function DeclareForm({ session, onDeclared }: { session: Session; onDeclared: (id: string) => void }) {
  const client = useQueryClient();
  const units = useUnits();
  const zoneOf = useZoneOf();
  // outages belong to ULPs (R-H1): a ULP's people declare for their own unit, anyone above picks a ULP
  const ownLevel = units.data?.find((u) => u.code === session.unit)?.level;
  const fixedUnit = session.unit && ownLevel === 'ULP' ? session.unit : null;
  const empty = { unitCode: fixedUnit ?? '', title: '', cause: '', area: '', etr: '' };
  const [form, setForm] = useState(empty);
  const unitCode = fixedUnit ?? form.unitCode;
  const timeZone = zoneOf(unitCode);
  const text = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const declare = useMutation({
    mutationFn: async () =>
      must(await api.POST('/api/v1/outages', { body: { unitCode, title: form.title.trim(), cause: form.cause.trim(), area: form.area.trim(), etr: zonedInputToIso(form.etr, timeZone) } })),
    onSuccess: (outage) => {
      void client.invalidateQueries({ queryKey: ['outages'] });
      setForm({ ...empty, unitCode: form.unitCode }); // ready for the next; the unit stays chosen
      onDeclared(outage.id);
    },
  });
  return (
    <form
      aria-label="Nyatakan padam meluas"
      onSubmit={(e) => {
        e.preventDefault();
        declare.mutate();
      }}
    >
      <h3>Nyatakan padam meluas</h3>
      {!fixedUnit && <UnitPicker root={session.unit} value={form.unitCode} onChange={(code) => setForm((f) => ({ ...f, unitCode: code }))} allLabel="— pilih ULP —" onlyUlp required />}
      <Field label="Judul">{(p) => <input {...p} required value={form.title} onChange={text('title')} />}</Field>
      <Field label="Penyebab">{(p) => <input {...p} required value={form.cause} onChange={text('cause')} />}</Field>
      <Field label="Wilayah terdampak">{(p) => <input {...p} required value={form.area} onChange={text('area')} />}</Field>
      <Field label="Perkiraan nyala (ETR)" hint={zoneHint(timeZone)}>
        {(p) => <input {...p} type="datetime-local" value={form.etr} onChange={text('etr')} />}
      </Field>
      <ErrorText error={declare.error} />
      {declare.data && (
        <p role="status" className="confirm">
          Padam meluas «{declare.data.title}» dinyatakan; rinciannya di kanan.
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={declare.isPending}>
          Nyatakan
        </button>
      </div>
    </form>
  );
}

function OutageDetail({ id }: { id: string }) {
  const client = useQueryClient();
  const outage = useQuery({
    queryKey: ['outage', id],
    queryFn: async () => must(await api.GET('/api/v1/outages/{id}', { params: { path: { id } } })),
    // R-O3 runs in batches after the 202: follow it until nothing is pending
    refetchInterval: (q) => ((q.state.data?.lastPropagation.pending ?? 0) > 0 ? 1_000 : false),
  });
  const changed = (o: Outage) => {
    client.setQueryData(['outage', id], o);
    void client.invalidateQueries({ queryKey: ['outages'] });
    void client.invalidateQueries({ queryKey: ['outage', id] });
  };
  const zoneOf = useZoneOf();
  const o = outage.data;
  if (!o) return <ErrorText error={outage.error} />;
  const p = o.lastPropagation;
  const timeZone = zoneOf(o.unitCode);
  const active = OUTAGE_ACTIVE.includes(o.status);
  return (
    <div>
      <dl className="facts">
        <dt>Judul</dt>
        <dd>{o.title}</dd>
        <dt>Penyebab</dt>
        <dd>{o.cause}</dd>
        <dt>Wilayah</dt>
        <dd>{o.area}</dd>
        <dt>Status</dt>
        <dd>
          <span className="status-pill">{STATUS_LABEL[o.status]}</span> {active ? 'aktif' : 'tidak aktif'}
        </dd>
        <dt>ETR</dt>
        <dd data-testid="etr">{formatDateTime(o.etr, timeZone)}</dd>
        <dt>Tiket</dt>
        <dd>
          {formatNumber(o.openTicketCount)} terbuka dari {formatNumber(o.ticketCount)}
        </dd>
      </dl>
      <div role="status" aria-label="Propagasi" className="propagation">
        <p>
          Propagasi {STATUS_LABEL[p.status]}: <strong data-testid="propagasi">{p.reached} tercapai, {p.pending} menunggu</strong>
        </p>
        <progress max={Math.max(1, p.reached + p.pending)} value={p.reached} aria-label="Kemajuan propagasi" />
      </div>
      {active ? <AttachForm outage={o} onChanged={changed} /> : <p className="help">Padam ini tidak aktif lagi: laporan baru tidak dapat dilampirkan.</p>}
      <OutageMoveForm key={o.id} outage={o} onMoved={changed} />
      {!['SELESAI', 'BATAL'].includes(o.status) && <EtrForm key={`${o.id} ${o.version}`} outage={o} timeZone={timeZone} onChanged={changed} />}
      <OutageTickets outage={o} onChanged={changed} timeZone={timeZone} />
    </div>
  );
}

function AttachForm({ outage, onChanged }: { outage: Outage; onChanged: (o: Outage) => void }) {
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const candidates = useQuery({
    queryKey: ['attachable', outage.unitCode, outage.version],
    queryFn: async () =>
      must(await api.GET('/api/v1/tickets', { params: { query: { unitCode: outage.unitCode, kind: 'GANGGUAN', open: 'true', limit: 200 } } })).items.filter(
        (t) => t.outage?.id !== outage.id,
      ),
  });
  const attach = useMutation({
    mutationFn: async () => {
      const answer = must(await api.POST('/api/v1/outages/{id}/tickets', { params: { path: { id: outage.id } }, body: { numbers: [...chosen] } }));
      onChanged(must(await api.GET('/api/v1/outages/{id}', { params: { path: { id: outage.id } } })));
      return answer;
    },
    onSuccess: () => setChosen(new Set()),
  });
  const toggle = (number: string) =>
    setChosen((s) => {
      const next = new Set(s);
      if (next.has(number)) next.delete(number);
      else next.add(number);
      return next;
    });
  return (
    <form
      aria-label="Lampirkan laporan"
      onSubmit={(e) => {
        e.preventDefault();
        attach.mutate();
      }}
    >
      <h3>Lampirkan laporan Gangguan terbuka</h3>
      {candidates.data?.length === 0 && <p className="help">Tidak ada laporan yang dapat dilampirkan.</p>}
      <div className="checklist">
        {candidates.data?.map((t) => (
          <label key={t.number} className="inline">
            <input type="checkbox" checked={chosen.has(t.number)} onChange={() => toggle(t.number)} />
            {t.number} · {t.customer.name ?? '—'} · {STATUS_LABEL[t.status]}
            {t.outage ? ` · sudah di ${t.outage.title}` : ''}
          </label>
        ))}
      </div>
      <ErrorText error={attach.error ?? candidates.error} />
      {attach.data && (
        <p role="status">
          {formatNumber(attach.data.attached.length)} dilampirkan
          {attach.data.refused.length > 0 && `; ditolak: ${attach.data.refused.map((r) => `${r.number} (${ATTACH_REFUSAL_LABEL[r.reason]})`).join(', ')}`}
        </p>
      )}
      <div className="actions">
        <button type="submit" disabled={chosen.size === 0 || attach.isPending}>
          Lampirkan {chosen.size} laporan terpilih
        </button>
      </div>
    </form>
  );
}

function EtrForm({ outage, timeZone, onChanged }: { outage: Outage; timeZone: string; onChanged: (o: Outage) => void }) {
  const [etr, setEtr] = useState(() => isoToZonedInput(outage.etr, timeZone));
  const update = useMutation({
    mutationFn: async () => must(await api.PATCH('/api/v1/outages/{id}', { params: { path: { id: outage.id } }, body: { etr: zonedInputToIso(etr, timeZone) } })),
    onSuccess: onChanged,
  });
  return (
    <form
      aria-label="Ubah ETR"
      onSubmit={(e) => {
        e.preventDefault();
        update.mutate();
      }}
    >
      <h3>Ubah ETR</h3>
      <Field label="ETR baru" hint={zoneHint(timeZone)}>
        {(p) => <input {...p} required type="datetime-local" value={etr} onChange={(e) => setEtr(e.target.value)} />}
      </Field>
      <ErrorText error={update.error} />
      <div className="actions">
        <button type="submit" disabled={update.isPending}>
          Simpan ETR
        </button>
      </div>
    </form>
  );
}

/**
 * The outage's reports (`GET /tickets?outageId=`), each with its history; a report taken out (R-O4)
 * stays listed under "Keluar dari padam ini" with the reason its history gives.
 */
function OutageTickets({ outage, timeZone, onChanged }: { outage: Outage; timeZone: string; onChanged: (o: Outage) => void }) {
  const [open, setOpen] = useState<string | null>(null);
  const [left, setLeft] = useState<Ticket[]>([]);
  const tickets = useQuery({
    queryKey: ['outage-tickets', outage.id, outage.version, outage.ticketCount, outage.openTicketCount, outage.lastPropagation.reached],
    queryFn: async () => must(await api.GET('/api/v1/tickets', { params: { query: { outageId: outage.id, limit: PAGE } } })).items,
  });
  const detach = useMutation({
    mutationFn: async (number: string) => {
      const ticket = must(await api.DELETE('/api/v1/outages/{id}/tickets/{number}', { params: { path: { id: outage.id, number } } }));
      onChanged(must(await api.GET('/api/v1/outages/{id}', { params: { path: { id: outage.id } } })));
      return ticket;
    },
    onSuccess: (ticket) => {
      setLeft((l) => [ticket, ...l.filter((t) => t.number !== ticket.number)]);
      setOpen(ticket.number);
    },
  });
  const row = (t: Ticket, attached: boolean) => (
    <li key={t.number}>
      <div className="ticket-line">
        <button type="button" className="link" aria-expanded={open === t.number} onClick={() => setOpen(open === t.number ? null : t.number)}>
          {t.number}
        </button>{' '}
        · {t.customer.name ?? '—'} · {STATUS_LABEL[t.status]}
        {attached && !['SELESAI', 'BATAL'].includes(outage.status) && (
          <button type="button" className="secondary small" disabled={detach.isPending} onClick={() => detach.mutate(t.number)} aria-label={`Keluarkan ${t.number} dari padam`}>
            Keluarkan
          </button>
        )}
      </div>
      {open === t.number && <TicketTimeline number={t.number} version={t.version} timeZone={timeZone} />}
    </li>
  );
  const attached = (tickets.data ?? []).filter((t) => !left.some((l) => l.number === t.number));
  return (
    <section aria-labelledby="laporan-padam" className="outage-tickets">
      <h3 id="laporan-padam">Laporan di padam ini ({formatNumber(attached.length)})</h3>
      <ErrorText error={tickets.error ?? detach.error} />
      {detach.data && (
        <p role="status" className="confirm">
          {detach.data.number} dikeluarkan dari padam; langkah berikutnya ditentukan sendiri (riwayat di bawah).
        </p>
      )}
      {tickets.data?.length === PAGE && <p className="help">Menampilkan {formatNumber(PAGE)} laporan pertama dari {formatNumber(outage.ticketCount)}.</p>}
      <ul className="plain">{attached.map((t) => row(t, true))}</ul>
      {left.length > 0 && (
        <>
          <h3 id="keluar-padam">Keluar dari padam ini</h3>
          <ul className="plain" aria-labelledby="keluar-padam">
            {left.map((t) => row(t, false))}
          </ul>
        </>
      )}
    </section>
  );
}
