import { ItsmStatus } from '../generated/prisma/enums';

export const ITSM_STATUSES = Object.values(ItsmStatus);

// R-A4 Reading: RESOLVED counts as done ("Status Bar sudah selesai"), as CLOSED does.
const DONE: readonly ItsmStatus[] = [ItsmStatus.RESOLVED, ItsmStatus.CLOSED];
export const isDone = (status: ItsmStatus): boolean => DONE.includes(status);

/** What a forwarded report does to the customer's references of the same category (R-A2…R-A4). */
export type ReportOutcome =
  | { kind: 'NEW' } // R-A2: none yet
  | { kind: 'REPEAT_OPEN'; itsmTicketId: string } // R-A3: noted on the open one
  | { kind: 'REPEAT_DONE'; previousItsmTicketId: string; itsmTicketId: string }; // R-A4: a new one after a done one

/**
 * `found` is the customer's reference of that category to report on: an open one if there is one, else
 * the latest. `itsmTicketId` is the ITSM ticket the agent made for this report.
 */
export function reportOutcome(found: { status: ItsmStatus; itsmTicketId: string } | null, itsmTicketId: string): ReportOutcome {
  if (!found) return { kind: 'NEW' };
  if (!isDone(found.status)) return { kind: 'REPEAT_OPEN', itsmTicketId: found.itsmTicketId };
  return { kind: 'REPEAT_DONE', previousItsmTicketId: found.itsmTicketId, itsmTicketId };
}

// R-A3: the note the agent writes under "NEW NOTES" of the open ITSM ticket, signed on the next line.
export const REPEAT_NOTE = 'Pelanggan melaporkan kembali belum ada tindaklanjut, Pelanggan belum mendapatkan balasan email.';
export const repeatNote = (sub: string): string => `${REPEAT_NOTE}\n${sub}`;

// R-A5: CLOSED is terminal ("tidak bisa di lakukan perubahan apapun"): no note.
export const acceptsChanges = (status: ItsmStatus): boolean => status !== ItsmStatus.CLOSED;

// R-A5: the service desk stays the authority. Only a reference the desk itself reported CLOSED refuses
// its further statuses; one R-J5 closed takes them (and a reopened reference is live again for R-A3).
export const acceptsStatus = (reference: { status: ItsmStatus; closedByJob: boolean }): boolean =>
  reference.status !== ItsmStatus.CLOSED || reference.closedByJob;

/** R-A5: the note kept when the desk reports a status for a reference R-J5 closed. */
export const afterJobCloseNote = (status: ItsmStatus): string => `Status dari service desk setelah ditutup otomatis (R-J5): ${status}`;

// R-J5: WAITING_FOR_CUSTOMER without a status change for 5 days is closed (at exactly 5 days: due).
export const WAITING_CLOSE_MS = 5 * 24 * 60 * 60 * 1000;
export const waitingCloseCutoff = (now: Date): Date => new Date(now.getTime() - WAITING_CLOSE_MS);
export const WAITING_CLOSE_NOTE = 'Ditutup otomatis: status Waiting For Customer tanpa perubahan selama 5 hari sejak ';
