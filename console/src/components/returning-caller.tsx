import { useMutation, useQuery, type UseQueryResult } from '@tanstack/react-query';
import { api, ApiError, must } from '../api/client';
import type { ReReportAnswer, ReReportPreview, Ticket, TicketKind, TicketStatus, Treatment } from '../api/types';
import { CATEGORY_LABEL, formatTime, KIND_LABEL, labelOf, PROBLEM_TYPE_LABEL, STATUS_LABEL, TREATMENT_LABEL } from '../labels';
import { ErrorText } from './field';
import { useZoneOf } from './unit-picker';

// A ticket the rules still act on when the same customer calls again (R-R1…R-R6): open, Nyala (R-R5)
// or Selesai (R-R3/R-R6). Terminal tickets (Ditutup, Batal, Issue Closed) leave the caller free to report anew.
const TERMINAL: ReadonlySet<TicketStatus> = new Set(['DITUTUP', 'BATAL', 'ISSUE_CLOSED']);

// R-R1, R-R2 ("No new ticket"), R-R3, R-R4 (not to be sidestepped, R-R7a) and R-I4 keep the report on the
// previous ticket's chain: the desk offers only the treatment. Laporan Baru (R-R5…R-R7) is a new ticket
// anyway: there the agent may make a separate report instead (a different problem).
const ONLY_THE_TREATMENT: ReadonlySet<Treatment> = new Set(['UPDATE_LAPOR', 'LAPOR_MELEBIHI_SLA', 'LAPOR_ULANG', 'ISSUE_CLOSED', 'LAPOR_ULANG_LISTRIQU']);

/** The newest ticket of `kind` the rules still act on, of the found customer's tickets (newest first). */
export const openTicketOf = (tickets: Ticket[], kind: TicketKind): Ticket | undefined => tickets.find((t) => t.kind === kind && !TERMINAL.has(t.status));

type Preview = ReReportPreview & { reportedAt: string };

/** R-L2: what a re-report of `number` would do now (nothing stored), asked once per number and search (`asked`). */
export function useRepeatPreview(number: string | undefined, asked: number | undefined) {
  return useQuery({
    queryKey: ['repeat-preview', number, asked],
    queryFn: async (): Promise<Preview> => {
      const reportedAt = new Date().toISOString();
      const answer = must(await api.GET('/api/v1/tickets/{number}/re-report-preview', { params: { path: { number: number ?? '' }, query: { reportedAt } } }));
      return { ...answer, reportedAt };
    },
    enabled: number !== undefined,
    staleTime: Infinity,
    gcTime: 0,
  });
}

/**
 * Whether a separate new ticket waits: while the rules' answer is not in, and where the rules keep the
 * report on the previous ticket. A refused preview (R-R7a not-repeatable: "the agent makes a new report
 * with the full intake") leaves the new ticket free.
 */
export function blocksNewTicket(preview: UseQueryResult<Preview>): boolean {
  if (preview.isPending) return true;
  return preview.data !== undefined && ONLY_THE_TREATMENT.has(preview.data.treatment);
}

/**
 * The returning caller (R-R1…R-R8): the ticket still in hand, the treatment the rules give now (R-L2)
 * and one button that applies it with the customer's words as the note — sent with the time the
 * preview was made for, so the treatment sent is the one shown.
 */
export function ReturningCaller({ ticket, preview, note, onDone }: { ticket: Ticket; preview: UseQueryResult<Preview>; note: string; onDone: (answer: ReReportAnswer) => void }) {
  const zone = useZoneOf()(ticket.unitCode); // the ticket's unit's own clock (WIB/WITA/WIT)
  const send = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/api/v1/tickets/{number}/re-reports', {
          params: { path: { number: ticket.number } },
          body: { note: note.trim() || undefined, reportedAt: preview.data?.reportedAt },
        }),
      ),
    onSuccess: onDone,
  });
  const shown = preview.data;
  const refused = preview.error instanceof ApiError && preview.error.status === 409;
  return (
    <section className="returning" aria-labelledby="laporan-masih-berjalan" data-testid="pelapor-berulang">
      <h3 id="laporan-masih-berjalan">
        Pelanggan masih punya laporan {KIND_LABEL[ticket.kind]}: <span className="number">{ticket.number}</span>
      </h3>
      <p>
        {STATUS_LABEL[ticket.status]} · {labelOf(PROBLEM_TYPE_LABEL, ticket.problemType)} · unit {ticket.unitCode} · dilaporkan {formatTime(ticket.reportedAt, zone)} · batas SLA{' '}
        {formatTime(ticket.slaDeadline, zone)}
        {ticket.overSla ? ' · melebihi SLA' : ''}
      </p>
      {preview.isPending && <p role="status">Memeriksa perlakuan menurut aturan…</p>}
      {refused ? (
        <p>Laporan ini tidak dapat dilaporkan ulang: buat laporan baru dengan data lengkap.</p>
      ) : (
        <ErrorText error={preview.error} />
      )}
      {shown && (
        <>
          <p>
            Perlakuan menurut aturan: <strong data-testid="perlakuan-berulang">{TREATMENT_LABEL[shown.treatment]}</strong>
            {shown.escalations.length > 0 && ` · eskalasi ${shown.escalations.map((e) => CATEGORY_LABEL[e.category]).join(', ')}`}
          </p>
          <p id="laporan-baru-ditahan" className="help">
            {ONLY_THE_TREATMENT.has(shown.treatment)
              ? 'Aturan tidak membuat laporan terpisah untuk pelanggan ini: proses dengan perlakuan di atas. Uraian (kata-kata pelanggan) dikirim sebagai catatan.'
              : 'Aturan membuat laporan baru yang merujuk laporan ini; laporan terpisah tetap boleh bila masalahnya lain.'}
          </p>
          <ErrorText error={send.error} />
          <div className="actions">
            <button type="button" id="kirim-perlakuan" disabled={send.isPending} onClick={() => send.mutate()}>
              Proses sebagai {TREATMENT_LABEL[shown.treatment]} · {ticket.number}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

/** The answer of a repeat sent from the desk: the treatment and the number the agent reads out. */
export function RepeatAnswer({ answer, testId = 'nomor-perlakuan' }: { answer: ReReportAnswer; testId?: string }) {
  return (
    <div className="answer" role="status">
      <p>
        Perlakuan: <strong>{TREATMENT_LABEL[answer.treatment]}</strong>
      </p>
      <p>Nomor laporan</p>
      <p className="number" data-testid={testId}>
        {answer.ticket.number}
      </p>
      <p>
        {KIND_LABEL[answer.ticket.kind]} · {STATUS_LABEL[answer.ticket.status]}
        {answer.ticket.number !== answer.previous.number && ` · sebelumnya ${answer.previous.number} (${STATUS_LABEL[answer.previous.status]})`}
      </p>
      {answer.escalations.length > 0 && <p>Eskalasi ke back office: {answer.escalations.map((e) => CATEGORY_LABEL[e.category]).join(', ')}</p>}
    </div>
  );
}
