import { iso } from '../common/iso';
import type { Escalation, EscalationCategory, EscalationStatus } from '../generated/prisma/client';

/** The Escalation of API.md. */
export interface EscalationView {
  id: string;
  category: EscalationCategory;
  status: EscalationStatus;
  ticketNumber: string | null;
  note: string;
  callbackAt: string | null;
  createdAt: string;
  claimedBy: string | null;
  claimedAt: string | null;
  leaseUntil: string | null;
  doneAt: string | null;
  doneNote: string | null;
}


export const toEscalationView = (e: Escalation): EscalationView => ({
  id: e.id,
  category: e.category,
  status: e.status,
  ticketNumber: e.ticketNumber,
  note: e.note,
  callbackAt: iso(e.callbackAt),
  createdAt: e.createdAt.toISOString(),
  claimedBy: e.claimedBy,
  claimedAt: iso(e.claimedAt),
  leaseUntil: iso(e.leaseUntil),
  doneAt: iso(e.doneAt),
  doneNote: e.doneNote,
});
