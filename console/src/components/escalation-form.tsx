import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import type { EscalationCategory } from '../api/types';
import { DEFAULT_ZONE, isTicketNumber, TICKET_NUMBER_PATTERN, zonedInputToIso, zoneName } from '../format';
import { CATEGORY_LABEL, formatTime } from '../labels';
import { ErrorText, Field } from './field';
import { useZoneOf } from './unit-picker';

// R-E1: what an agent queues by hand (POST /escalations, cso); the rules queue Lapor Ulang and Laporan
// Melebihi SLA themselves (R-E3).
const BY_HAND: EscalationCategory[] = ['REQUEST_CALLBACK', 'URGENT', 'CALLBACK_PELANGGAN'];

/**
 * An escalation to the back office, for a ticket or (a request callback, R-E1) for none. Without a
 * ticket the back office has only the note to call back from, so the found customer's name and phone
 * open it. A callback time is typed on the clock of the ticket's unit (the customer's: WIB, WITA or WIT,
 * named in the label), or in WIB (the contact centre's zone) without a ticket, and sent with its offset.
 */
export function EscalationForm({ ticketNumber, onTicketNumber, customer }: { ticketNumber: string; onTicketNumber: (n: string) => void; customer?: { name: string; phone: string } }) {
  const [category, setCategory] = useState<EscalationCategory>('REQUEST_CALLBACK');
  const [note, setNote] = useState('');
  const [callbackAt, setCallbackAt] = useState('');
  const number = ticketNumber.trim();
  const complete = isTicketNumber(number);
  const ticket = useQuery({
    queryKey: ['ticket', number],
    enabled: complete,
    staleTime: 60_000,
    queryFn: async () => must(await api.GET('/api/v1/tickets/{number}', { params: { path: { number } } })),
  });
  const zoneOf = useZoneOf();
  const zone = complete && ticket.data ? zoneOf(ticket.data.unitCode) : DEFAULT_ZONE;
  const send = useMutation({
    mutationFn: async () => {
      const who = !number && customer && (customer.name || customer.phone) ? `Pelanggan ${customer.name || '—'}, telepon ${customer.phone || '—'}. ` : '';
      return must(
        await api.POST('/api/v1/escalations', {
          body: { category, ticketNumber: number || undefined, note: who + note.trim(), callbackAt: zonedInputToIso(callbackAt, zone) ?? undefined },
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
            {(p) => <input {...p} pattern={TICKET_NUMBER_PATTERN} value={ticketNumber} onChange={(e) => onTicketNumber(e.target.value)} autoComplete="off" />}
          </Field>
        </div>
        <Field label="Isi eskalasi untuk back office">{(p) => <textarea {...p} required rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
        <Field label={`Waktu hubungi kembali (${zoneName(zone)}, boleh kosong)`}>
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
            {done.callbackAt ? ` · hubungi ${formatTime(done.callbackAt, zone)}` : ''}.
          </p>
        )}
      </div>
    </>
  );
}
