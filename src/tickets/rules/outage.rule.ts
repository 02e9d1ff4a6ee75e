import type { TicketKind, TicketStatus } from '../../generated/prisma/enums';
import { flowOf, isOpen } from './lifecycle.rule';

// The tickets' side of mass outages (DOMAIN.md §14): which tickets may join one, and which a move of
// the outage carries along.

/** The note of the events an outage writes on its tickets (R-O2, R-O3). */
export const outageNote = (title: string) => `Padam meluas: ${title}`;

/** R-O2: why a ticket named for an outage is not attached (named in the answer; the others still are). */
export type AttachRefusal = 'NOT_FOUND' | 'OTHER_UNIT' | 'NOT_GANGGUAN' | 'ALREADY_ATTACHED' | 'IN_ANOTHER_OUTAGE' | 'NOT_OPEN';

export interface AttachCandidate {
  unitCode: string;
  kind: TicketKind;
  status: TicketStatus;
  outageId: string | null;
}

/** R-O2: open Gangguan tickets of the outage's unit that belong to no outage yet. */
export function attachRefusal(ticket: AttachCandidate | undefined, outage: { id: string; unitCode: string }): AttachRefusal | null {
  if (!ticket) return 'NOT_FOUND';
  if (ticket.unitCode !== outage.unitCode) return 'OTHER_UNIT';
  if (ticket.kind !== 'GANGGUAN') return 'NOT_GANGGUAN';
  if (ticket.outageId === outage.id) return 'ALREADY_ATTACHED';
  if (ticket.outageId !== null) return 'IN_ANOTHER_OUTAGE'; // a ticket belongs to at most one outage
  if (!isOpen(ticket.status)) return 'NOT_OPEN';
  return null;
}

/**
 * R-O2, R-O3: the ticket statuses a move of the outage to `to` carries along — those before `to` in the
 * Gangguan flow (moves are forward only, R-T4); for BATAL, every status before SELESAI. A ticket that
 * is already there or further, or terminal, has stopped following.
 */
export function statusesBehind(to: TicketStatus): TicketStatus[] {
  const flow = flowOf('GANGGUAN');
  const end = to === 'BATAL' ? flow.indexOf('SELESAI') : flow.indexOf(to);
  return end < 0 ? [] : flow.slice(0, end);
}
