import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import type { Outage } from '../api/types';
import { ErrorText, Field } from '../components/field';
import { OutageMoveForm } from '../components/status-move-form';
import { formatTime, STATUS_LABEL } from '../labels';
import type { Session } from '../session';

/** A datetime-local value (the browser's zone) → ISO; empty → null. */
const toIso = (local: string) => (local ? new Date(local).toISOString() : null);

/**
 * Padam meluas (R-O1…R-O4): the unit declares an outage, attaches its open Gangguan tickets, moves the
 * outage's status (the service propagates it to every attached ticket, R-O3) and changes the ETR.
 */
export function OutagesPage({ session }: { session: Session }) {
  const unitCode = session.unit ?? undefined;
  const [selected, setSelected] = useState<string | null>(null);
  const outages = useQuery({
    queryKey: ['outages', unitCode ?? '*'],
    queryFn: async () => must(await api.GET('/api/v1/outages', { params: { query: { unitCode, active: 'true', limit: 100 } } })).items,
  });
  return (
    <div className="outages">
      <h1>Padam Meluas {unitCode ? `· unit ${unitCode}` : ''}</h1>
      <div className="split">
        <section aria-labelledby="daftar-padam">
          <h2 id="daftar-padam">Padam aktif</h2>
          <ErrorText error={outages.error} />
          {outages.data?.length === 0 && <p>Tidak ada padam meluas aktif.</p>}
          <ul className="plain">
            {outages.data?.map((o) => (
              <li key={o.id}>
                <button type="button" className={o.id === selected ? '' : 'secondary'} aria-pressed={o.id === selected} onClick={() => setSelected(o.id)}>
                  {o.title} · {STATUS_LABEL[o.status]} · {o.openTicketCount}/{o.ticketCount} tiket
                </button>
              </li>
            ))}
          </ul>
          <DeclareForm unitCode={unitCode} onDeclared={setSelected} />
        </section>
        <section aria-labelledby="rincian-padam">
          <h2 id="rincian-padam">Rincian</h2>
          {selected ? <OutageDetail key={selected} id={selected} /> : <p className="help">Pilih atau nyatakan padam meluas.</p>}
        </section>
      </div>
    </div>
  );
}

function DeclareForm({ unitCode, onDeclared }: { unitCode: string | undefined; onDeclared: (id: string) => void }) {
  const client = useQueryClient();
  const [form, setForm] = useState({ unitCode: unitCode ?? '', title: '', cause: '', area: '', etr: '' });
  const text = (key: keyof typeof form) => (e: React.ChangeEvent<HTMLInputElement>) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const declare = useMutation({
    mutationFn: async () =>
      must(await api.POST('/api/v1/outages', { body: { unitCode: form.unitCode, title: form.title.trim(), cause: form.cause.trim(), area: form.area.trim(), etr: toIso(form.etr) } })),
    onSuccess: (outage) => {
      void client.invalidateQueries({ queryKey: ['outages'] });
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
      {!unitCode && <Field label="Unit">{(p) => <input {...p} required value={form.unitCode} onChange={text('unitCode')} />}</Field>}
      <Field label="Judul">{(p) => <input {...p} required value={form.title} onChange={text('title')} />}</Field>
      <Field label="Penyebab">{(p) => <input {...p} required value={form.cause} onChange={text('cause')} />}</Field>
      <Field label="Wilayah terdampak">{(p) => <input {...p} required value={form.area} onChange={text('area')} />}</Field>
      <Field label="Perkiraan nyala (ETR)">{(p) => <input {...p} type="datetime-local" value={form.etr} onChange={text('etr')} />}</Field>
      <ErrorText error={declare.error} />
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
  const o = outage.data;
  if (!o) return <ErrorText error={outage.error} />;
  const p = o.lastPropagation;
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
          <span className="status-pill">{STATUS_LABEL[o.status]}</span>
        </dd>
        <dt>ETR</dt>
        <dd>{formatTime(o.etr)}</dd>
        <dt>Tiket</dt>
        <dd>
          {o.openTicketCount} terbuka dari {o.ticketCount}
        </dd>
      </dl>
      <div role="status" aria-label="Propagasi" className="propagation">
        <p>
          Propagasi {STATUS_LABEL[p.status]}: <strong data-testid="propagasi">{p.reached} tercapai, {p.pending} menunggu</strong>
        </p>
        <progress max={Math.max(1, p.reached + p.pending)} value={p.reached} aria-label="Kemajuan propagasi" />
      </div>
      <AttachForm outage={o} onChanged={changed} />
      <OutageMoveForm key={o.id} outage={o} onMoved={changed} />
      <EtrForm outage={o} onChanged={changed} />
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
          {attach.data.attached.length} dilampirkan
          {attach.data.refused.length > 0 && `; ditolak: ${attach.data.refused.map((r) => `${r.number} (${r.reason})`).join(', ')}`}
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

function EtrForm({ outage, onChanged }: { outage: Outage; onChanged: (o: Outage) => void }) {
  const [etr, setEtr] = useState('');
  const update = useMutation({
    mutationFn: async () => must(await api.PATCH('/api/v1/outages/{id}', { params: { path: { id: outage.id } }, body: { etr: toIso(etr) } })),
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
      <Field label="ETR baru">{(p) => <input {...p} required type="datetime-local" value={etr} onChange={(e) => setEtr(e.target.value)} />}</Field>
      <ErrorText error={update.error} />
      <div className="actions">
        <button type="submit" disabled={update.isPending}>
          Simpan ETR
        </button>
      </div>
    </form>
  );
}
