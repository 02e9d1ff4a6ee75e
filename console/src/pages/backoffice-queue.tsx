import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { api, must } from '../api/client';
import { keepAcrossSignIn, takeKeptView } from '../kept-views';
import type { Escalation, EscalationCategory, Ticket } from '../api/types';
import { CreateTicketForm } from '../components/create-ticket-form';
import { ErrorText, Field } from '../components/field';
import { CATEGORY_LABEL, formatTime, KIND_LABEL, labelOf, PROBLEM_TYPE_LABEL, STATUS_LABEL } from '../labels';

const CATEGORIES = Object.keys(CATEGORY_LABEL) as EscalationCategory[];
const QUEUE_KEY = ['escalation-queue'];
const QUEUE_PAGES = 5; // 1,000 open items: more is shown as "1000+"
const OLDEST_SHOWN = 10;

/** The open items, oldest first (GET /escalations orders by createdAt), as far as QUEUE_PAGES pages reach. */
async function openItems(): Promise<{ items: Escalation[]; complete: boolean }> {
  const items: Escalation[] = [];
  let cursor: string | undefined;
  for (let page = 0; page < QUEUE_PAGES; page += 1) {
    const answer = must(await api.GET('/api/v1/escalations', { params: { query: { status: ['OPEN'], limit: 200, cursor } } }));
    items.push(...answer.items);
    if (!answer.nextCursor) return { items, complete: true };
    cursor = answer.nextCursor;
  }
  return { items, complete: false };
}

/**
 * What waits before the agent claims (R-E2): open items per category with the oldest one's age, and the
 * oldest items themselves. Claiming stays the service's choice (URGENT first, callbacks when due, R-E4).
 */
function QueueOverview() {
  const queue = useQuery({ queryKey: QUEUE_KEY, queryFn: openItems });
  const items = queue.data?.items ?? [];
  const more = queue.data && !queue.data.complete ? '+' : '';
  const byCategory = CATEGORIES.map((category) => {
    const of = items.filter((e) => e.category === category);
    return { category, count: of.length, oldest: of[0]?.createdAt ?? null };
  });
  return (
    <section className="queue" aria-labelledby="antrean-terbuka">
      <h2 id="antrean-terbuka">
        Antrean terbuka: {items.length}
        {more} item
      </h2>
      <ErrorText error={queue.error} />
      {queue.isPending && <p role="status">Memuat antrean…</p>}
      {queue.data && (
        <div className="columns">
          <table className="table" data-testid="antrean-per-kategori">
            <caption>Per kategori</caption>
            <thead>
              <tr>
                <th scope="col">Kategori</th>
                <th scope="col" className="num">
                  Jumlah
                </th>
                <th scope="col">Tertua sejak</th>
              </tr>
            </thead>
            <tbody>
              {byCategory.map((row) => (
                <tr key={row.category}>
                  <th scope="row">{CATEGORY_LABEL[row.category]}</th>
                  <td className="num">
                    {row.count}
                    {row.count > 0 ? more : ''}
                  </td>
                  <td>{formatTime(row.oldest)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="table" data-testid="antrean-tertua">
            <caption>Item tertua dulu</caption>
            <thead>
              <tr>
                <th scope="col">Dibuat</th>
                <th scope="col">Kategori</th>
                <th scope="col">Laporan</th>
                <th scope="col">Hubungi pada</th>
              </tr>
            </thead>
            <tbody>
              {items.slice(0, OLDEST_SHOWN).map((e) => (
                <tr key={e.id}>
                  <td>{formatTime(e.createdAt)}</td>
                  <td>{CATEGORY_LABEL[e.category]}</td>
                  <td>{e.ticketNumber ?? '—'}</td>
                  <td>{formatTime(e.callbackAt)}</td>
                </tr>
              ))}
              {items.length === 0 && (
                <tr>
                  <td colSpan={4}>Tidak ada item terbuka.</td>
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      <div className="actions">
        <button type="button" className="secondary" onClick={() => void queue.refetch()} disabled={queue.isFetching}>
          Muat ulang antrean
        </button>
      </div>
    </section>
  );
}

// The back office (R-E2): claim the next item (the service orders URGENT first, callbacks when due),
// work it within the lease, finish it with a note.
const HELD = 'backoffice-held';

export function BackofficeQueue() {
  const [categories, setCategories] = useState<EscalationCategory[]>([]);
  // the item held when a sign-in was forced comes back with its note (R-U5, console/src/kept-views.ts)
  const [claimed, setClaimed] = useState<Escalation | null>(() => takeKeptView<Escalation>(HELD, '/backoffice'));
  const claimedNow = useRef(claimed);
  claimedNow.current = claimed;
  useEffect(() => keepAcrossSignIn(HELD, () => claimedNow.current), []);
  const [empty, setEmpty] = useState(false);
  const [done, setDone] = useState<Escalation | null>(null);
  const queryClient = useQueryClient();
  const refreshQueue = () => void queryClient.invalidateQueries({ queryKey: QUEUE_KEY });

  const claim = useMutation({
    mutationFn: async () => {
      const answer = await api.POST('/api/v1/escalations/claim-next', { body: categories.length ? { categories } : {} });
      return answer.response.status === 204 ? null : must(answer);
    },
    onSuccess: (item) => {
      setClaimed(item);
      setEmpty(item === null);
      setDone(null);
      refreshQueue();
    },
  });

  const toggle = (category: EscalationCategory) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setCategories((list) => (e.target.checked ? [...list, category] : list.filter((c) => c !== category)));

  return (
    <div className="backoffice">
      <h1>Antrean Back Office</h1>
      {!claimed && <QueueOverview />}
      <fieldset className="row">
        <legend>Kategori (kosong: semua)</legend>
        {CATEGORIES.map((c) => (
          <label key={c} className="inline">
            <input type="checkbox" checked={categories.includes(c)} onChange={toggle(c)} />
            {CATEGORY_LABEL[c]}
          </label>
        ))}
      </fieldset>
      <div className="actions">
        <button type="button" onClick={() => claim.mutate()} disabled={claim.isPending || claimed !== null}>
          Ambil berikutnya
        </button>
      </div>
      <ErrorText error={claim.error} />
      <div aria-live="polite">
        {empty && <p role="status">Antrean kosong: tidak ada item yang terbuka.</p>}
        {done && (
          <p role="status" className="ok">
            Item {CATEGORY_LABEL[done.category]} {done.ticketNumber ?? ''} selesai.
          </p>
        )}
      </div>
      {claimed && (
        <ClaimedItem
          item={claimed}
          onDone={(finished) => {
            setClaimed(null);
            setDone(finished);
            refreshQueue();
          }}
          onLost={() => setClaimed(null)}
        />
      )}
    </div>
  );
}

function ClaimedItem({ item, onDone, onLost }: { item: Escalation; onDone: (e: Escalation) => void; onLost: () => void }) {
  const [note, setNote] = useState('');
  const remaining = useCountdown(item.leaseUntil);
  const finish = useMutation({
    mutationFn: async () => must(await api.POST('/api/v1/escalations/{id}/done', { params: { path: { id: item.id } }, body: { note: note.trim() } })),
    onSuccess: onDone,
  });
  const expired = remaining !== null && remaining <= 0;

  return (
    <section className="claimed" aria-labelledby="item-diambil" data-escalation={item.id}>
      <h2 id="item-diambil">
        {CATEGORY_LABEL[item.category]} {item.ticketNumber && <span className="number">{item.ticketNumber}</span>}
      </h2>
      {item.ticketNumber ? <CallbackCustomer number={item.ticketNumber} /> : <p className="help">Tanpa laporan: nama dan telepon pelanggan ada di catatan.</p>}
      <dl className="facts">
        <dt>Catatan</dt>
        <dd className="pre">{item.note}</dd>
        <dt>Dibuat</dt>
        <dd>{formatTime(item.createdAt)}</dd>
        {item.callbackAt && (
          <>
            <dt>Telepon balik</dt>
            <dd>{formatTime(item.callbackAt)}</dd>
          </>
        )}
        <dt>Sisa waktu klaim</dt>
        <dd className={expired ? 'warn-text' : undefined}>
          <span role="timer" aria-live="off">
            {remaining === null ? '—' : expired ? 'Habis: item kembali ke antrean' : formatDuration(remaining)}
          </span>
        </dd>
      </dl>
      {item.ticketNumber && (
        <FollowUp
          number={item.ticketNumber}
          onCreated={(ticket) => setNote((n) => n || `Telepon balik selesai; laporan lanjutan ${ticket.number} dibuat.`)}
        />
      )}
      <form
        aria-label="Selesaikan item"
        onSubmit={(e) => {
          e.preventDefault();
          finish.mutate();
        }}
      >
        <Field label="Catatan penyelesaian">{(p) => <textarea {...p} required rows={3} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
        <ErrorText error={finish.error} />
        <div className="actions">
          <button type="submit" disabled={finish.isPending || expired}>
            Selesaikan
          </button>
          {expired && (
            <button type="button" className="secondary" onClick={onLost}>
              Tutup
            </button>
          )}
        </div>
      </form>
    </section>
  );
}

/**
 * R-E4: after calling the customer back, the back office may create the follow-up ticket itself
 * ("Buat laporan APKT baru", 001 §5): the create form, filled from the item's ticket, whose answer
 * refers to it (`referenceNumber`).
 */
function FollowUp({ number, onCreated }: { number: string; onCreated: (ticket: Ticket) => void }) {
  const [open, setOpen] = useState(false);
  const reference = useQuery({
    queryKey: ['ticket', number],
    queryFn: async () => must(await api.GET('/api/v1/tickets/{number}', { params: { path: { number } } })),
    enabled: open,
  });
  const t = reference.data;
  return (
    <section className="follow-up" aria-labelledby="laporan-lanjutan">
      <h3 id="laporan-lanjutan">Laporan lanjutan</h3>
      {!open ? (
        <button type="button" className="secondary" onClick={() => setOpen(true)}>
          Buat laporan lanjutan dari {number}
        </button>
      ) : (
        <>
          <ErrorText error={reference.error} />
          {t && (
            <>
              <p className="help">
                Merujuk <strong>{t.number}</strong> ({KIND_LABEL[t.kind]} · {STATUS_LABEL[t.status]}): {t.keterangan ?? t.description}
              </p>
              <CreateTicketForm reference={t} onCreated={onCreated} />
            </>
          )}
        </>
      )}
    </section>
  );
}

/**
 * Whom to call back: the escalation names only its ticket, so the ticket is read (GET /tickets/{number},
 * which the back office may read, R-E4) for the customer's name, phone and where they are.
 */
function CallbackCustomer({ number }: { number: string }) {
  const ticket = useQuery({
    queryKey: ['ticket', number],
    queryFn: async () => must(await api.GET('/api/v1/tickets/{number}', { params: { path: { number } } })),
  });
  const t = ticket.data;
  return (
    <div className="callback" aria-label="Pelanggan yang dihubungi">
      <ErrorText error={ticket.error} />
      {ticket.isPending && <p role="status">Memuat data pelanggan…</p>}
      {t && (
        <dl className="facts" data-testid="pelanggan-callback">
          <dt>Pelanggan</dt>
          <dd>
            <strong>{t.customer.name ?? '—'}</strong>
          </dd>
          <dt>Telepon</dt>
          <dd>{t.customer.phone ? <a href={`tel:${t.customer.phone}`}>{t.customer.phone}</a> : '—'}</dd>
          <dt>ID Pel · meter</dt>
          <dd>
            {t.customer.idPel ?? '—'} · {t.customer.meterNumber ?? '—'}
          </dd>
          <dt>Alamat</dt>
          <dd>{[t.customer.address, t.customer.province].filter(Boolean).join(', ') || '—'}</dd>
          <dt>Laporan</dt>
          <dd>
            {KIND_LABEL[t.kind]} · {labelOf(PROBLEM_TYPE_LABEL, t.problemType)} · {STATUS_LABEL[t.status]} · unit {t.unitCode}
          </dd>
        </dl>
      )}
    </div>
  );
}

/** Milliseconds left until `until`, every second. */
function useCountdown(until: string | null): number | null {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, []);
  return until === null ? null : Date.parse(until) - now;
}

function formatDuration(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${m}:${String(s).padStart(2, '0')}`;
}
