import type { ReportOutcome } from '../../itsm/itsm.rules';

// PLN Mobile problems (003, R-A1…R-A4): the classification and keterangan of the issue-closed Keluhan.
export const APP_PROBLEM_TYPE = 'LAIN_LAIN';
export const APP_PROBLEM_SUBTYPE = 'LAIN_LAIN';

/** The keterangan: answered at the desk (`outcome` null, R-A1), or forwarded to ITSM (R-A2…R-A4). */
export function appProblemKeterangan(category: string, outcome: ReportOutcome | null): string {
  const answered = `New PLN Mobile – ${category}`; // R-A1
  if (!outcome) return answered;
  const forwarded = `${answered} – eskalasi ITSM`; // R-A2
  switch (outcome.kind) {
    case 'NEW':
      return forwarded;
    case 'REPEAT_OPEN':
      return `${forwarded} Pelanggan melaporkan kembali No. Tiket ITSM ${outcome.itsmTicketId}`; // R-A3
    case 'REPEAT_DONE':
      return `${forwarded} No. Tiket ITSM lama ${outcome.previousItsmTicketId}, baru ${outcome.itsmTicketId}`; // R-A4
  }
}
