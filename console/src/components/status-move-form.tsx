import { useMutation } from '@tanstack/react-query';
import { type ReactNode, useState } from 'react';
import { api, must } from '../api/client';
import type { MoveStatus, OutageMoveStatus } from '../api/contract';
import type { Outage, Ticket } from '../api/types';
import { nextStatuses, STATUS_LABEL } from '../labels';
import { ErrorText, Field } from './field';

/** What a status move sends (R-T4, R-T5; an outage's passes it on to its tickets, R-O1, R-O3). */
export interface MoveRequest<S extends MoveStatus> {
  version: number;
  status: S;
  unitAnswer?: string;
  reason?: string;
  note?: string;
}
/** The moved subject, or (412) the newer version someone else made first. */
export type MoveResult<T> = { moved: T } | { newer: T };

interface Subject {
  version: number;
  status: keyof typeof STATUS_LABEL;
}

interface Texts {
  title: string;
  status: string;
  unitAnswer: string;
  reason: string;
  submit: string;
}

/**
 * One status-move form for a ticket and for an outage: the next statuses, the unit's answer for SELESAI
 * and the reason for BATAL, sent with If-Match (the version the unit saw). When someone else changed
 * the subject first (412) it shows the newer version and asks again rather than overwriting blindly.
 */
export function MoveStatusForm<S extends MoveStatus, T extends Subject>(props: {
  subject: T;
  options: S[];
  texts: Texts;
  withNote?: boolean;
  send: (request: MoveRequest<S>) => Promise<MoveResult<T>>;
  describe: (newer: T) => ReactNode;
  onMoved: (moved: T) => void;
}) {
  const { subject, options, texts, withNote, send, describe, onMoved } = props;
  // the next step of the flow is chosen already: the usual move is one click (issue 29: ≤ 3 steps)
  const [choice, setTo] = useState<S | ''>(options[0] ?? '');
  const to = choice !== '' && options.includes(choice) ? choice : (options[0] ?? '');
  const [done, setDone] = useState<{ from: T; to: T } | null>(null);
  const [unitAnswer, setUnitAnswer] = useState('');
  const [reason, setReason] = useState('');
  const [note, setNote] = useState('');
  const [base, setBase] = useState(subject); // the version the move is meant for
  const [newer, setNewer] = useState<T | null>(null);

  const move = useMutation({
    mutationFn: ({ version, status }: { version: number; status: S }) =>
      send({
        version,
        status,
        note: withNote ? note.trim() || undefined : undefined,
        unitAnswer: status === 'SELESAI' ? unitAnswer.trim() : undefined,
        reason: status === 'BATAL' ? reason.trim() : undefined,
      }),
    onSuccess: (result) => {
      if ('newer' in result) return setNewer(result.newer);
      setNewer(null);
      setDone({ from: base, to: result.moved });
      setBase(result.moved);
      setTo('');
      setNote('');
      setUnitAnswer('');
      setReason('');
      onMoved(result.moved);
    },
  });

  const submit = (version: number) => (event?: React.FormEvent) => {
    event?.preventDefault();
    if (to) move.mutate({ version, status: to });
  };

  const confirmation = done && (
    <p className="confirm" role="status" data-testid="konfirmasi-status">
      Tersimpan: status {STATUS_LABEL[done.from.status]} → <strong>{STATUS_LABEL[done.to.status]}</strong> (versi {done.to.version}).
    </p>
  );
  if (options.length === 0)
    return (
      <>
        {confirmation}
        <p className="help">Tidak ada perpindahan status dari {STATUS_LABEL[subject.status]}.</p>
      </>
    );

  return (
    <form className="move" onSubmit={submit(base.version)} aria-label={texts.title}>
      {confirmation}
      <h3>{texts.title}</h3>
      <Field label={texts.status}>
        {(p) => (
          <select {...p} required value={to} onChange={(e) => setTo(options.find((s) => s === e.target.value) ?? '')}>
            {options.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABEL[s]}
              </option>
            ))}
          </select>
        )}
      </Field>
      {to === 'SELESAI' && <Field label={texts.unitAnswer}>{(p) => <textarea {...p} required rows={3} value={unitAnswer} onChange={(e) => setUnitAnswer(e.target.value)} />}</Field>}
      {to === 'BATAL' && <Field label={texts.reason}>{(p) => <textarea {...p} required rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />}</Field>}
      {withNote && <Field label="Catatan">{(p) => <input {...p} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>}
      {newer ? (
        <div className="conflict" role="alert">
          <p>
            Sudah diubah pihak lain (versi {base.version} → {newer.version}): sekarang <strong>{STATUS_LABEL[newer.status]}</strong>
            {describe(newer)}.
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
            {texts.submit}
          </button>
        </div>
      )}
      <ErrorText error={move.error} />
    </form>
  );
}

/** A unit moves its ticket (R-T4, R-T5). */
export function StatusMoveForm({ ticket, onMoved }: { ticket: Ticket; onMoved: (t: Ticket) => void }) {
  const path = { params: { path: { number: ticket.number } } };
  return (
    <MoveStatusForm
      subject={ticket}
      options={nextStatuses(ticket.kind, ticket.status)}
      texts={{ title: 'Pindahkan status', status: 'Status baru', unitAnswer: 'Jawaban unit (wajib untuk Selesai)', reason: 'Alasan Batal (wajib)', submit: 'Simpan status' }}
      withNote
      send={async ({ version, ...body }) => {
        const answer = await api.POST('/api/v1/tickets/{number}/status', { ...path, headers: { 'if-match': String(version) }, body });
        if (answer.response.status === 412) return { newer: must(await api.GET('/api/v1/tickets/{number}', path)) };
        return { moved: must(answer) };
      }}
      describe={(newer) => (newer.unitAnswer ? `, jawaban unit: ${newer.unitAnswer}` : '')}
      onMoved={onMoved}
    />
  );
}

/** A unit moves its outage; the service passes the move on to every attached ticket (R-O1, R-O3). */
export function OutageMoveForm({ outage, onMoved }: { outage: Outage; onMoved: (o: Outage) => void }) {
  const path = { params: { path: { id: outage.id } } };
  // a Gangguan's next statuses: never DIPROSES, which is a Keluhan's
  const options = nextStatuses('GANGGUAN', outage.status).filter((s: MoveStatus): s is OutageMoveStatus => s !== 'DIPROSES');
  return (
    <MoveStatusForm
      subject={outage}
      options={options}
      texts={{ title: 'Pindahkan status padam', status: 'Status padam baru', unitAnswer: 'Jawaban unit untuk semua laporan', reason: 'Alasan Batal', submit: 'Simpan status padam' }}
      send={async ({ version, note: _note, ...body }) => {
        const answer = await api.POST('/api/v1/outages/{id}/status', { ...path, headers: { 'if-match': String(version) }, body });
        if (answer.response.status === 412) return { newer: must(await api.GET('/api/v1/outages/{id}', path)) };
        return { moved: must(answer) };
      }}
      describe={(newer) => `, ${newer.openTicketCount}/${newer.ticketCount} tiket terbuka`}
      onMoved={onMoved}
    />
  );
}
