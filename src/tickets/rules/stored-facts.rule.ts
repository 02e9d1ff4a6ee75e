import type { TicketStatus } from '../../generated/prisma/enums';
import { isOpen } from './lifecycle.rule';

// R-M1: the facts a report is computed from, written by the change that makes them true and never
// changed afterwards (unlike overSla, which R-S2 resets when the ticket stops being open).
export interface FactsBefore {
  status: TicketStatus;
  slaDeadline: Date;
  respondedAt: Date | null;
  nyalaAt: Date | null;
  slaBreachedAt: Date | null;
}

export interface FactsSet {
  respondedAt?: Date;
  nyalaAt?: Date;
  slaBreachedAt?: Date;
}

const NYALA: ReadonlySet<TicketStatus> = new Set<TicketStatus>(['NYALA_SEMENTARA', 'NYALA']);

/**
 * The facts a status move from `before.status` to `to` at `occurredAt` sets. `respondedAt`: the first
 * move out of LAPOR, whoever makes it ("when it first left LAPOR": a unit's move, R-J2's BATAL, R-I2's
 * forwarding). `nyalaAt`: the first NYALA_SEMENTARA or NYALA. `slaBreachedAt`: a ticket that stops
 * being open at or after its deadline was open at the deadline, so it breached even when R-J3 had not
 * run yet (R-S2: at the deadline is over SLA).
 */
export function factsOfMove(before: FactsBefore, to: TicketStatus | undefined, occurredAt: Date): FactsSet {
  if (!to || to === before.status) return {};
  const facts: FactsSet = {};
  if (before.status === 'LAPOR' && !before.respondedAt) facts.respondedAt = occurredAt;
  if (NYALA.has(to) && !before.nyalaAt) facts.nyalaAt = occurredAt;
  if (isOpen(before.status) && !isOpen(to) && !before.slaBreachedAt && occurredAt.getTime() >= before.slaDeadline.getTime()) {
    facts.slaBreachedAt = before.slaDeadline;
  }
  return facts;
}
