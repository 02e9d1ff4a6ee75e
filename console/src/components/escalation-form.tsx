import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import type { EscalationCategory } from '../api/types';
import { CATEGORY_LABEL, formatTime } from '../labels';
import { ErrorText, Field } from './field';

// R-E1: what an agent queues by hand (POST /escalations, cso); the rules queue Lapor Ulang and Laporan
// Melebihi SLA themselves (R-E3).
const BY_HAND: EscalationCategory[] = ['REQUEST_CALLBACK', 'URGENT', 'CALLBACK_PELANGGAN'];

/**
 * An escalation to the back office, for a ticket or (a request callback, R-E1) for none. Without a
 * ticket the back office has only the note to call back from, so the found customer's name and phone
 * open it. A callback time is typed in WIB (the contact centre's zone) and sent with its offset.
 */
export function EscalationForm({ ticketNumber, onTicketNumber, customer }: { ticketNumber: string; onTicketNumber: (n: string) => void; customer?: { name: string; phone: string } }) {
  const [category, setCategory] = useState<EscalationCategory>('REQUEST_CALLBACK');
  const [note, setNote] = useState('');
  const [callbackAt, setCallbackAt] = useState('');
  const send = useMutation({
    mutationFn: async () => {
      const number = ticketNumber.trim();
      const who = !number && customer && (customer.name || customer.phone) ? `Pelanggan ${customer.name || '—'}, telepon ${customer.phone || '—'}. ` : '';
      return must(
        await api.POST('/api/v1/escalations', {
          body: { category, ticketNumber: number || undefined, note: who + note.trim(), callbackAt: callbackAt ? `${callbackAt}:00+07:00` : undefined },
        }),
      );
    },
    onSuccess: () => {
      setNote('');
      setCallbackAt('');
    },
  });
  const done = send.data;
  return (
    <>
      <form
        id="form-eskalasi"
        aria-label="Eskalasi ke back office"
        onSubmit={(e) => {
          e.preventDefault();
          send.mutate();
        }}
      >
        <div className="grid">
          <Field label="Kategori eskalasi">
            {(p) => (
              <select {...p} value={category} onChange={(e) => setCategory(BY_HAND.find((c) => c === e.target.value) ?? 'REQUEST_CALLBACK')}>
                {BY_HAND.map((c) => (
                  <option key={c} value={c}>
                    {CATEGORY_LABEL[c]}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Nomor laporan yang dieskalasi" hint="Kosong: permintaan tanpa laporan">
            {(p) => <input {...p} pattern="[GK]\d{13}" value={ticketNumber} onChange={(e) => onTicketNumber(e.target.value)} autoComplete="off" />}
          </Field>
        </div>
        <Field label="Isi eskalasi untuk back office">{(p) => <textarea {...p} required rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
        <Field label="Waktu hubungi kembali (WIB, boleh kosong)">
          {(p) => <input {...p} type="datetime-local" value={callbackAt} onChange={(e) => setCallbackAt(e.target.value)} />}
        </Field>
        <ErrorText error={send.error} />
        <div className="actions">
          <button type="submit" disabled={send.isPending}>
            Kirim eskalasi
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {done && (
          <p role="status" className="ok" data-testid="eskalasi-dibuat">
            Eskalasi {CATEGORY_LABEL[done.category]} dibuat{done.ticketNumber ? ` untuk ${done.ticketNumber}` : ''}
            {done.callbackAt ? ` · hubungi ${formatTime(done.callbackAt)}` : ''}.
          </p>
        )}
      </div>
    </>
  );
}
