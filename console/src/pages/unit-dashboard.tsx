import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { api, must } from '../api/client';
import type { Ticket, TicketKind, TicketStatus } from '../api/types';
import { ActiveDefinition } from '../components/definitions';
import { ACTIVE, useActiveTickets } from '../components/open-tickets';
import { StatusMoveForm } from '../components/status-move-form';
import { ErrorText } from '../components/field';
import { TicketTimeline } from '../components/ticket-timeline';
import { UnitPicker, useZoneOf } from '../components/unit-picker';
import { formatDateTime, formatNumber } from '../format';
import { KIND_LABEL, labelOf, OPEN_STATUSES, PROBLEM_TYPE_LABEL, STATUS_LABEL, SUBTYPE_LABEL } from '../labels';
import type { Session } from '../session';
import { keepAcrossSignIn, takeKeptView } from '../kept-views';
import { forgetLinkedTicket, linkedTicket } from '../linked-ticket';

const ROW_HEIGHT = 64;

const isOverSla = (t: Ticket, now: number) => t.overSla || Date.parse(t.slaDeadline) < now;

// Most pressing first: urgent, then over SLA, then the earliest SLA deadline.
const byPressure = (now: number) => (a: Ticket, b: Ticket) =>
  Number(b.urgent) - Number(a.urgent) || Number(isOverSla(b, now)) - Number(isOverSla(a, now)) || a.slaDeadline.localeCompare(b.slaDeadline);

const OPEN_TICKET = 'unit-dashboard-ticket';

export function UnitDashboard({ session }: { session: Session }) {
  // R-H2, R-H3: a UP3/UID (or admin) sees the roll-up of every ULP beneath, and may open one ULP
  const [chosen, setChosen] = useState(session.unit ?? '');
  const unitCode = chosen || undefined;
  const active = useActiveTickets(unitCode);
  const [kind, setKind] = useState<TicketKind | ''>('');
  const [status, setStatus] = useState<TicketStatus | ''>('');
  const [onlyOverSla, setOnlyOverSla] = useState(false);
  const [onlyUrgent, setOnlyUrgent] = useState(false);
  const [search, setSearch] = useState('');
  // a mail's link opens its ticket (R-W7, console/src/linked-ticket.ts); so does a sign-in forced
  // while it was open, with its half-written forms (R-U5, console/src/kept-views.ts)
  const [selected, setSelected] = useState<string | null>(() => linkedTicket() ?? takeKeptView<string>(OPEN_TICKET, '/unit'));
  useEffect(forgetLinkedTicket, []);
  const selectedNow = useRef(selected);
  selectedNow.current = selected;
  useEffect(() => keepAcrossSignIn(OPEN_TICKET, () => selectedNow.current), []);
  // tickets this page moved out of the active list (Selesai, Batal): kept reachable, newest first
  const [leftList, setLeftList] = useState<Ticket[]>([]);
  const [seenChanges, setSeenChanges] = useState(0);
  const zoneOf = useZoneOf();
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);

  const tickets = active.data?.tickets;
  const all = useMemo(() => (tickets ? [...tickets.values()] : []), [tickets]);
  const shown = useMemo(() => {
    const needle = search.trim().toLowerCase();
    return all
      .filter(
        (t) =>
          (!kind || t.kind === kind) &&
          (!status || t.status === status) &&
          (!onlyOverSla || isOverSla(t, now)) &&
          (!onlyUrgent || t.urgent) &&
          (!needle || t.number.toLowerCase().includes(needle) || (t.customer.name ?? '').toLowerCase().includes(needle) || (t.customer.idPel ?? '').includes(needle)),
      )
      .sort(byPressure(now));
  }, [all, kind, status, onlyOverSla, onlyUrgent, search, now]);
  const counts = useMemo(
    () => ({
      total: all.length,
      open: all.filter((t) => OPEN_STATUSES.includes(t.status)).length,
      overSla: all.filter((t) => isOverSla(t, now)).length,
      urgent: all.filter((t) => t.urgent).length,
      melebihiSla: all.reduce((sum, t) => sum + t.counters.jumlahLaporMelebihiSla, 0),
    }),
    [all, now],
  );
  const changes = (active.data?.changes ?? 0) - seenChanges;
  const listed = selected ? tickets?.get(selected) : undefined;
  // a selected ticket that left the list (moved here, or elsewhere) stays in the panel, read afresh
  const gone = useQuery({
    queryKey: ['ticket', selected],
    enabled: selected !== null && tickets !== undefined && !listed,
    queryFn: async () => must(await api.GET('/api/v1/tickets/{number}', { params: { path: { number: selected ?? '' } } })),
  });
  const current = listed ?? (selected ? (leftList.find((t) => t.number === selected && (!gone.data || gone.data.version <= t.version)) ?? gone.data) : undefined);
  const { put } = active;
  const moved = useCallback(
    (ticket: Ticket) => {
      put(ticket);
      if (!ACTIVE.has(ticket.status)) setLeftList((l) => [ticket, ...l.filter((t) => t.number !== ticket.number)].slice(0, 10));
    },
    [put],
  );

  return (
    <div className="dashboard">
      <h1>Dasbor Unit {unitCode ?? '(semua unit)'}</h1>
      <UnitPicker
        root={session.unit}
        value={chosen}
        onChange={(code) => {
          setChosen(code);
          setSelected(null);
        }}
        allLabel={session.unit ? undefined : 'Semua unit'}
      />
      <div className="counters" aria-label="Ringkasan">
        <Counter label="Tiket aktif" value={counts.total} />
        <Counter label="Terbuka" value={counts.open} />
        <Counter label="Melebihi SLA" value={counts.overSla} tone="warn" />
        <Counter label="Urgent" value={counts.urgent} tone="urgent" />
        <Counter label="Jumlah Lapor Melebihi SLA" value={counts.melebihiSla} />
        <div aria-live="polite" className="badge-slot">
          {changes > 0 && (
            <button type="button" className="badge" onClick={() => setSeenChanges(active.data?.changes ?? 0)}>
              {changes} perubahan baru · tandai sudah dilihat
            </button>
          )}
        </div>
      </div>
      <ActiveDefinition />
      <form className="filters" aria-label="Saring tiket" onSubmit={(e) => e.preventDefault()}>
        <label>
          Cari
          <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Nomor, nama, ID Pel" />
        </label>
        <label>
          Jenis
          <select value={kind} onChange={(e) => setKind(e.target.value as TicketKind | '')}>
            <option value="">Semua</option>
            <option value="GANGGUAN">Gangguan</option>
            <option value="KELUHAN">Keluhan</option>
          </select>
        </label>
        <label>
          Status
          <select value={status} onChange={(e) => setStatus(e.target.value as TicketStatus | '')}>
            <option value="">Semua</option>
            {[...ACTIVE].map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        </label>
        <label className="inline">
          <input type="checkbox" checked={onlyOverSla} onChange={(e) => setOnlyOverSla(e.target.checked)} />
          Hanya melebihi SLA
        </label>
        <label className="inline">
          <input type="checkbox" checked={onlyUrgent} onChange={(e) => setOnlyUrgent(e.target.checked)} />
          Hanya urgent
        </label>
      </form>
      <ErrorText error={active.error} />
      <div className="split">
        <TicketList tickets={shown} selected={selected} onSelect={setSelected} now={now} loading={active.isPending} />
        <section className="detail" aria-label="Tiket terpilih">
          {current ? (
            <>
              <TicketDetail ticket={current} now={now} timeZone={zoneOf(current.unitCode)} />
              {!listed && !ACTIVE.has(current.status) && (
                <p className="notice" data-testid="keluar-daftar">
                  Tiket ini {STATUS_LABEL[current.status]}: tidak aktif lagi, sehingga keluar dari daftar. Rinciannya tetap di sini dan di «Baru keluar dari daftar».
                </p>
              )}
              <StatusMoveForm
                key={current.number}
                ticket={current}
                onMoved={moved}
              />
              <TicketTimeline number={current.number} version={current.version} timeZone={zoneOf(current.unitCode)} />
            </>
          ) : (
            <p className="help">Pilih tiket dari daftar untuk melihat dan memindahkan statusnya.</p>
          )}
          {leftList.length > 0 && (
            <nav aria-labelledby="keluar-daftar-judul" className="left-list">
              <h3 id="keluar-daftar-judul">Baru keluar dari daftar</h3>
              <ul className="plain">
                {leftList.map((t) => (
                  <li key={t.number}>
                    <button type="button" className="link" aria-pressed={t.number === selected} onClick={() => setSelected(t.number)}>
                      {t.number} · {STATUS_LABEL[t.status]}
                    </button>
                  </li>
                ))}
              </ul>
            </nav>
          )}
        </section>
      </div>
    </div>
  );
}

function Counter({ label, value, tone }: { label: string; value: number; tone?: 'warn' | 'urgent' }) {
  return (
    <div className={`counter ${tone ?? ''}`}>
      <span className="value">{formatNumber(value)}</span>
      <span className="label">{label}</span>
    </div>
  );
}

/** Virtualised: only the rows in view are in the DOM, so 2,000 open tickets scroll smoothly. */
function TicketList({
  tickets,
  selected,
  onSelect,
  now,
  loading,
}: {
  tickets: Ticket[];
  selected: string | null;
  onSelect: (n: string) => void;
  now: number;
  loading: boolean;
}) {
  const zoneOf = useZoneOf();
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({ count: tickets.length, getScrollElement: () => scroller.current, estimateSize: () => ROW_HEIGHT, overscan: 8 });
  return (
    <div className="list" ref={scroller} role="region" aria-label={`Daftar tiket (${tickets.length})`} tabIndex={0}>
      {loading && <p className="help">Memuat…</p>}
      {!loading && tickets.length === 0 && <p className="help">Tidak ada tiket aktif yang cocok.</p>}
      <ul style={{ height: virtual.getTotalSize() }} aria-label="Tiket">
        {virtual.getVirtualItems().map((row) => {
          const t = tickets[row.index];
          const over = isOverSla(t, now);
          return (
            <li key={t.number} style={{ transform: `translateY(${row.start}px)`, height: ROW_HEIGHT }} aria-setsize={tickets.length} aria-posinset={row.index + 1}>
              <button
                type="button"
                className={`ticket-row${over ? ' over-sla' : ''}${t.urgent ? ' urgent' : ''}`}
                aria-pressed={t.number === selected}
                onClick={() => onSelect(t.number)}
                data-number={t.number}
              >
                <span className="number">{t.number}</span>
                <span className="status">{STATUS_LABEL[t.status]}</span>
                <span className="flags">
                  {t.urgent && <span className="tag urgent">Urgent</span>}
                  {over && <span className="tag warn">Melebihi SLA</span>}
                  {t.counters.jumlahLaporMelebihiSla > 0 && <span className="tag">Lapor Melebihi SLA ×{t.counters.jumlahLaporMelebihiSla}</span>}
                </span>
                <span className="sub">
                  {KIND_LABEL[t.kind]} · {labelOf(PROBLEM_TYPE_LABEL, t.problemType)} · {t.customer.name ?? '—'} · SLA {formatDateTime(t.slaDeadline, zoneOf(t.unitCode))}
                </span>
              </button>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

function TicketDetail({ ticket, now, timeZone }: { ticket: Ticket; now: number; timeZone: string }) {
  return (
    <>
      <h2>
        {ticket.number} <span className="status-pill">{STATUS_LABEL[ticket.status]}</span>
      </h2>
      <dl className="facts">
        <dt>Jenis</dt>
        <dd>
          {KIND_LABEL[ticket.kind]} · {labelOf(PROBLEM_TYPE_LABEL, ticket.problemType)}
          {ticket.subType ? ` / ${labelOf(SUBTYPE_LABEL, ticket.subType)}` : ''}
        </dd>
        <dt>Pelanggan</dt>
        <dd>
          {ticket.customer.name ?? '—'} · {ticket.customer.phone ?? '—'} · ID Pel {ticket.customer.idPel ?? '—'}
        </dd>
        <dt>Alamat</dt>
        <dd>{ticket.customer.address ?? '—'}</dd>
        <dt>Uraian</dt>
        <dd className="pre">{ticket.description}</dd>
        <dt>Dilaporkan</dt>
        <dd>{formatDateTime(ticket.reportedAt, timeZone)}</dd>
        <dt>Batas SLA</dt>
        <dd className={isOverSla(ticket, now) ? 'warn-text' : undefined}>
          {formatDateTime(ticket.slaDeadline, timeZone)}
          {isOverSla(ticket, now) ? ' (melebihi SLA)' : ''}
        </dd>
        <dt>Jumlah Lapor Melebihi SLA</dt>
        <dd>{formatNumber(ticket.counters.jumlahLaporMelebihiSla)}</dd>
        <dt>Update Lapor / Lapor Ulang</dt>
        <dd>
          {ticket.counters.updateCount} / {ticket.counters.repeatCount}
        </dd>
        <dt>Versi</dt>
        <dd>{ticket.version}</dd>
      </dl>
    </>
  );
}
