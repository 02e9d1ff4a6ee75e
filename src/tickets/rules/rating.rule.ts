import type { TicketStatus } from '../../generated/prisma/enums';

// R-L4: once a ticket is NYALA, SELESAI or DITUTUP the customer may rate it, once. NYALA_SEMENTARA is
// not yet NYALA; BATAL and ISSUE_CLOSED never had a unit's work to rate.
export const RATEABLE: ReadonlySet<TicketStatus> = new Set<TicketStatus>(['NYALA', 'SELESAI', 'DITUTUP']);

/** Why the ticket cannot be rated now, or null when it can. */
export function ratingRefusal(status: TicketStatus, ratedAt: Date | null): string | null {
  if (ratedAt !== null) return 'the ticket has been rated already; a rating is given once (R-L4)';
  if (!RATEABLE.has(status)) return `the ticket is ${status}; it can be rated once it is NYALA, SELESAI or DITUTUP (R-L4)`;
  return null;
}
