import { iso } from '../common/iso';
import type { Ticket, TicketEvent } from '../generated/prisma/client';

// Rows become API.md's Ticket and Event shapes here, and nowhere else.

/** R-O2: the outage an attached ticket follows, as its answer shows it. */
export interface OutageSummary {
  id: string;
  title: string;
  status: string;
  etr: string | null;
}

/**
 * The outage of an attached ticket as the row knows it (its id). The outages module fills in the rest
 * for every answer that carries tickets, with one query per answer (src/outages/outage-summaries.interceptor.ts),
 * so no path that renders a ticket needs to load its outage, and a ticket without one costs nothing.
 */
export class PendingOutage implements OutageSummary {
  title = '';
  status = '';
  etr: string | null = null;
  constructor(readonly id: string) {}
}

export function ticketView(t: Ticket) {
  return {
    number: t.number,
    kind: t.kind,
    unitCode: t.unitCode,
    channel: t.channel,
    status: t.status,
    customer: {
      name: t.customerName,
      phone: t.customerPhone,
      idPel: t.customerIdPel,
      meterNumber: t.customerMeterNumber,
      address: t.customerAddress,
      province: t.customerProvince,
    },
    problemType: t.problemType,
    subType: t.subType,
    woType: t.woType,
    description: t.description,
    urgent: t.urgent,
    reportedAt: iso(t.reportedAt),
    slaDeadline: iso(t.slaDeadline),
    overSla: t.overSla,
    resolvedAt: iso(t.resolvedAt),
    unitAnswer: t.unitAnswer,
    confirmationDeadline: iso(t.confirmationDeadline),
    closedAt: iso(t.closedAt),
    closeReason: t.closeReason,
    cancelReason: t.cancelReason,
    counters: { updateCount: t.updateCount, repeatCount: t.repeatCount, jumlahLaporMelebihiSla: t.jumlahLaporMelebihiSla },
    reReported: t.reReported,
    previousNumber: t.previousNumber,
    referenceNumber: t.referenceNumber,
    callbackAt: iso(t.callbackAt),
    transferredToNumber: t.transferredToNumber,
    transferredFromNumber: t.transferredFromNumber,
    keterangan: t.keterangan,
    successorNumber: t.successorNumber,
    respondedAt: iso(t.respondedAt),
    nyalaAt: iso(t.nyalaAt),
    slaBreachedAt: iso(t.slaBreachedAt),
    outage: (t.outageId ? new PendingOutage(t.outageId) : null) as OutageSummary | null,
    rating: t.ratingScore === null ? null : { score: t.ratingScore, comment: t.ratingComment, at: iso(t.ratedAt) },
    version: t.version,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}
export type TicketView = ReturnType<typeof ticketView>;

export function eventView(e: TicketEvent) {
  return {
    id: e.id.toString(),
    ticketNumber: e.ticketNumber,
    type: e.type,
    fromStatus: e.fromStatus,
    toStatus: e.toStatus,
    note: e.note,
    actor: { sub: e.actorSub, role: e.actorRole, name: e.actorName },
    occurredAt: iso(e.occurredAt),
    recordedAt: iso(e.recordedAt),
  };
}
export type EventView = ReturnType<typeof eventView>;
