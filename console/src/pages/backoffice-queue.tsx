import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, must } from '../api/client';
import type { Escalation, EscalationCategory, Ticket } from '../api/types';
import { CreateTicketForm } from '../components/create-ticket-form';
import { ErrorText, Field } from '../components/field';
import { CATEGORY_LABEL, formatTime, KIND_LABEL, STATUS_LABEL } from '../labels';

const CATEGORIES = Object.keys(CATEGORY_LABEL) as EscalationCategory[];

// The back office (R-E2): claim the next item (the service orders URGENT first, callbacks when due),
// work it within the lease, finish it with a note.
export function BackofficeQueue() {
  const [categories, setCategories] = useState<EscalationCategory[]>([]);
  const [claimed, setClaimed] = useState<Escalation | null>(null);
  const [empty, setEmpty] = useState(false);
  const [done, setDone] = useState<Escalation | null>(null);

  const claim = useMutation({
    mutationFn: async () => {
      const answer = await api.POST('/api/v1/escalations/claim-next', { body: categories.length ? { categories } : {} });
      return answer.response.status === 204 ? null : must(answer);
    },
    onSuccess: (item) => {
      setClaimed(item);
      setEmpty(item === null);
      setDone(null);
    },
  });

  const toggle = (category: EscalationCategory) => (e: React.ChangeEvent<HTMLInputElement>) =>
    setCategories((list) => (e.target.checked ? [...list, category] : list.filter((c) => c !== category)));

  return (
    <div className="backoffice">
      <h1>Antrean Back Office</h1>
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
