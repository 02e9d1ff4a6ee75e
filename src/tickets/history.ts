import type { TicketStatus } from '../generated/prisma/enums';

// R-T6: every change to a ticket is an append-only event, written in the transaction of the change.
export type EventType =
  | 'CREATED'
  | 'STATUS_CHANGED'
  | 'UPDATE_LAPOR'
  | 'LAPOR_MELEBIHI_SLA'
  | 'RE_REPORTED'
  | 'CONFIRMED'
  | 'AUTO_CLOSED'
  | 'AUTO_TRANSFERRED'
  | 'ESCALATED'
  | 'ESCALATION_DONE'
  | 'FORWARDED_TO_LISTRIQU'
  | 'LISTRIQU_STATUS_CHANGED'
  | 'LAPOR_ULANG_LISTRIQU'
  | 'IML_CORRECTED'
  | 'SLA_BREACHED'
  | 'RATED'

  | 'ATTACHED_TO_OUTAGE'
  | 'DETACHED_FROM_OUTAGE'
  | 'OUTAGE_ETR_CHANGED'
  | 'PERSONAL_DATA_ERASED';

export interface Actor {
  sub: string;
  role: string;
  /** R-U3: the person's display name; absent for systems and jobs */
  name?: string | null;
}

/** The scheduled jobs: no person, so no name (actor_name null). */
export const SYSTEM_ACTOR: Actor = { sub: 'system', role: 'system', name: null };

export interface NewEvent {
  ticketNumber: string;
  type: EventType;
  fromStatus?: TicketStatus | null;
  toStatus?: TicketStatus | null;
  note?: string | null;
  actor: Actor;
  occurredAt: Date;
  recordedAt: Date;
}
