import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import type { MoveStatus } from '../api/contract';
import type { Ticket } from '../api/types';
import { nextStatuses, STATUS_LABEL } from '../labels';
import { ErrorText, Field } from './field';

/**
 * A status move with If-Match (the version the unit saw). When someone else changed the ticket
 * first (412) the form shows the newer ticket and asks again rather than overwriting blindly.
 */
export function StatusMoveForm({ ticket, onMoved }: { ticket: Ticket; onMoved: (t: Ticket) => void }) {
  const options = nextStatuses(ticket.kind, ticket.status);
  const [to, setTo] = useState<MoveStatus | ''>('');
  const [unitAnswer, setUnitAnswer] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [base, setBase] = useState(ticket); // the version the move is meant for
  const [newer, setNewer] = useState<Ticket | null>(null);

  const move = useMutation({
    mutationFn: async ({ version, status }: { version: number; status: MoveStatus }) => {
      const answer = await api.POST('/api/v1/tickets/{number}/status', {
        params: { path: { number: ticket.number } },
        headers: { 'if-match': String(version) },
        body: {
          status,
          note: note.trim() || undefined,
          unitAnswer: status === 'SELESAI' ? unitAnswer.trim() : undefined,
          reason: status === 'BATAL' ? reason.trim() : undefined,
        },
      });
      if (answer.response.status === 412) {
        const latest = must(await api.GET('/api/v1/tickets/{number}', { params: { path: { number: ticket.number } } }));
        setNewer(latest);
        return null;
      }
      return must(answer);
    },
    onSuccess: (moved) => {
      if (!moved) return;
      setNewer(null);
      setBase(moved);
      setTo('');
      setNote('');
      onMoved(moved);
    },
  });

  const submit = (version: number) => (event?: React.FormEvent) => {
    event?.preventDefault();
    if (to !== '') move.mutate({ version, status: to });
  };

  if (options.length === 0) return <p className="help">Tidak ada perpindahan status dari {STATUS_LABEL[ticket.status]}.</p>;

  return (
    <form className="move" onSubmit={submit(base.version)} aria-label="Pindahkan status">
      <h3>Pindahkan status</h3>
      <Field label="Status baru">
        {(p) => (
          <select {...p} required value={to} onChange={(e) => setTo(options.find((s) => s === e.target.value) ?? '')}>
            <option value="">— pilih —</option>
            {options.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {to === 'SELESAI' && (
        <Field label="Jawaban unit (wajib untuk Selesai)">
          {(p) => <textarea {...p} required rows={3} value={unitAnswer} onChange={(e) => setUnitAnswer(e.target.value)} />}
        </Field>
      )}
      {to === 'BATAL' && (
        <Field label="Alasan Batal (wajib)">{(p) => <textarea {...p} required rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}</Field>
      )}
      <Field label="Catatan">{(p) => <input {...p} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
      {newer ? (
        <div className="conflict" role="alert">
          <p>
            Tiket ini sudah diubah pihak lain (versi {base.version} → {newer.version}): sekarang <strong>{STATUS_LABEL[newer.status]}</strong>
            {newer.unitAnswer ? `, jawaban unit: ${newer.unitAnswer}` : ''}.
          </p>
          <p>Tetap pindahkan ke {to ? STATUS_LABEL[to] : '—'} dari versi terbaru?</p>
          <div className="actions">
            <button
              type="button"
              onClick={() => {
                setBase(newer);
                submit(newer.version)();
              }}
            >
              Ya, kirim lagi
            </button>
            <button
              type="button"
              className="secondary"
              onClick={() => {
                onMoved(newer);
                setNewer(null);
              }}
            >
              Batalkan
            </button>
          </div>
        </div>
      ) : (
        <div className="actions">
          <button type="submit" disabled={move.isPending}>
            Simpan status
          </button>
        </div>
      )}
      <ErrorText error={move.error} />
    </form>
  );
}
