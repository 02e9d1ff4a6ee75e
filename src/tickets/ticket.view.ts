import { ROLES } from '../auth/roles';
import { AnswerShape, boolean, Field, inline, integer, list, matching, nullable, oneOf, PageOf, pageShape, ref, string, time } from '../common/answer-shape';
import { iso } from '../common/iso';
import { PROVINCES } from '../common/provinces';
import type { Ticket, TicketEvent } from '../generated/prisma/client';
import type { Channel, CloseReason, TicketKind, TicketStatus, WoType } from '../generated/prisma/enums';
import { ItsmReferenceAnswer } from '../itsm/itsm.view';

// Rows become API.md's Ticket and Event shapes here, and nowhere else. The answer classes below are the
// document's Ticket and Event (issue 24): a field added to a class is in /docs-json, and the views are
// typed to return the classes, so the compiler makes them fill it.

export const TICKET_STATUSES = ['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA', 'DIPROSES', 'SELESAI', 'DITUTUP', 'BATAL', 'ISSUE_CLOSED'] as const;
export const EVENT_TYPES = [
  'CREATED', 'STATUS_CHANGED', 'UPDATE_LAPOR', 'LAPOR_MELEBIHI_SLA', 'RE_REPORTED', 'CONFIRMED', 'AUTO_CLOSED', 'AUTO_TRANSFERRED',
  'ESCALATED', 'FORWARDED_TO_LISTRIQU', 'LISTRIQU_STATUS_CHANGED', 'LAPOR_ULANG_LISTRIQU', 'IML_CORRECTED', 'SLA_BREACHED',
  'ESCALATION_DONE', 'ATTACHED_TO_OUTAGE', 'DETACHED_FROM_OUTAGE', 'OUTAGE_ETR_CHANGED', 'RATED',
  'PERSONAL_DATA_ERASED', // R-P3, R-P4: the ticket's personal data was erased
] as const;
/** How a re-report is treated (R-R1…R-R8, R-I4), as answers and reports name it. */
export const TREATMENTS = ['UPDATE_LAPOR', 'LAPOR_MELEBIHI_SLA', 'LAPOR_ULANG', 'ISSUE_CLOSED', 'LAPORAN_BARU', 'LAPOR_ULANG_LISTRIQU'] as const;
export const TICKET_NUMBER_PATTERN = '^[GK]\\d{13}$';

export const TICKET_EXAMPLE = {
  number: 'G5422026000123', kind: 'GANGGUAN', unitCode: '542', channel: 'CC123', status: 'LAPOR',
  customer: { name: 'Budi', phone: '081234567890', idPel: '512345678901', meterNumber: null, address: 'Jl. Merdeka 1', province: 'JAWA BARAT' },
  problemType: 'PADAM_1_RUMAH', subType: null, woType: 'AUTODISPATCH', description: 'Listrik padam satu rumah sejak pagi', urgent: false,
  reportedAt: '2026-11-23T01:00:00.000Z', slaDeadline: '2026-11-23T04:00:00.000Z', overSla: false,
  resolvedAt: null, unitAnswer: null, confirmationDeadline: null, closedAt: null, closeReason: null, cancelReason: null,
  counters: { updateCount: 0, repeatCount: 0, jumlahLaporMelebihiSla: 0 },
  reReported: false, previousNumber: null, referenceNumber: null, callbackAt: null, transferredToNumber: null, transferredFromNumber: null,
  keterangan: null, successorNumber: null, respondedAt: null, nyalaAt: null, slaBreachedAt: null, outage: null, rating: null,
  version: 1, createdAt: '2026-11-23T01:00:00.000Z', updatedAt: '2026-11-23T01:00:00.000Z',
};

export class TicketCustomerAnswer {
  @Field(nullable(string())) name!: string | null;
  @Field(nullable(string())) phone!: string | null;
  @Field(nullable(string('12 digits'))) idPel!: string | null;
  @Field(nullable(string('11 digits'))) meterNumber!: string | null;
  @Field(nullable(string())) address!: string | null;
  @Field(nullable(oneOf(PROVINCES))) province!: string | null;
}

export class TicketCountersAnswer {
  @Field(integer()) updateCount!: number;
  @Field(integer()) repeatCount!: number;
  @Field(integer()) jumlahLaporMelebihiSla!: number;
}

/** R-O2: the outage an attached ticket follows, as its answer shows it. */
export class OutageSummary {
  @Field(string()) id!: string;
  @Field(string()) title!: string;
  @Field(string()) status!: string;
  @Field(nullable(time())) etr!: string | null;
}

export class TicketRatingAnswer {
  @Field(integer(undefined, { minimum: 1, maximum: 5 })) score!: number;
  @Field(nullable(string())) comment!: string | null;
  @Field(time()) at!: string;
}

/** API.md's Ticket. `itsmReference` is only in the answer of an app-problem create. */
@AnswerShape({ name: 'Ticket', description: 'A Gangguan or Keluhan ticket (API.md Ticket).', example: TICKET_EXAMPLE })
export class TicketAnswer {
  @Field(matching(TICKET_NUMBER_PATTERN)) number!: string;
  @Field(oneOf(['GANGGUAN', 'KELUHAN'])) kind!: TicketKind;
  @Field(matching('^\\d{3}$')) unitCode!: string;
  @Field(oneOf(['CC123', 'PLN_MOBILE', 'OTHER'])) channel!: Channel;
  @Field(oneOf(TICKET_STATUSES)) status!: TicketStatus;
  @Field(inline(TicketCustomerAnswer)) customer!: TicketCustomerAnswer;
  @Field(string('UPPER_SNAKE classification')) problemType!: string;
  @Field(nullable(string())) subType!: string | null;
  @Field(nullable(oneOf(['AUTODISPATCH', 'IML_LISTRIQU', 'IML_NON_LISTRIQU']))) woType!: WoType | null;
  @Field(string()) description!: string;
  @Field(boolean()) urgent!: boolean;
  @Field(time()) reportedAt!: string;
  @Field(time()) slaDeadline!: string;
  @Field(boolean()) overSla!: boolean;
  @Field(nullable(time())) resolvedAt!: string | null;
  @Field(nullable(string())) unitAnswer!: string | null;
  @Field(nullable(time())) confirmationDeadline!: string | null;
  @Field(nullable(time())) closedAt!: string | null;
  @Field(nullable(oneOf(['CONFIRMED', 'NO_CONFIRMATION', 'RE_REPORTED']))) closeReason!: CloseReason | null;
  @Field(nullable(string('Free text, AUTO_TRANSFER or DITERUSKAN_KE_LISTRIQU'))) cancelReason!: string | null;
  @Field(inline(TicketCountersAnswer)) counters!: TicketCountersAnswer;
  @Field(boolean()) reReported!: boolean;
  @Field(nullable(string('The ticket this one is a Lapor Ulang of'))) previousNumber!: string | null;
  @Field(nullable(string('The earlier ticket a Laporan Baru or issue-closed report refers to'))) referenceNumber!: string | null;
  @Field(nullable(time('When the customer asked to be called back (R-K2)'))) callbackAt!: string | null;
  @Field(nullable(string())) transferredToNumber!: string | null;
  @Field(nullable(string())) transferredFromNumber!: string | null;
  @Field(nullable(string('Remarks (R-K2)'))) keterangan!: string | null;
  @Field(nullable(string('R-R10'))) successorNumber!: string | null;
  @Field(nullable(time('R-M1'))) respondedAt!: string | null;
  @Field(nullable(time('R-M1'))) nyalaAt!: string | null;
  @Field(nullable(time('R-M1'))) slaBreachedAt!: string | null;
  @Field(nullable(inline(OutageSummary, { description: 'The outage this ticket follows (R-O2)' }))) outage!: OutageSummary | null;
  @Field(nullable(inline(TicketRatingAnswer, { description: 'R-L4' }))) rating!: TicketRatingAnswer | null;
  @Field(integer('Raised by every change; the ETag and If-Match value')) version!: number;
  @Field(time()) createdAt!: string;
  @Field(time()) updatedAt!: string;
  // An app-problem create (R-A1…R-A4) answers with one more field.
  @Field(nullable(ref(ItsmReferenceAnswer, 'Only in the answer of an app-problem create (R-A2…R-A4)')), { optional: true }) itsmReference?: ItsmReferenceAnswer | null;
}

@AnswerShape(pageShape('TicketPage', 'Ticket', TICKET_EXAMPLE))
export class TicketPageAnswer extends PageOf(TicketAnswer) {}

/**
 * The outage of an attached ticket as the row knows it (its id). The outages module fills in the rest
 * for every answer that carries tickets, with one query per answer (src/outages/outage-summaries.ts),
 * so no path that renders a ticket needs to load its outage, and a ticket without one costs nothing.
 */
export class PendingOutage implements OutageSummary {
  title = '';
  status = '';
  etr: string | null = null;
  constructor(readonly id: string) {}
}

export function ticketView(t: Ticket): TicketAnswer {
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
    outage: t.outageId ? new PendingOutage(t.outageId) : null,
    rating: t.ratingScore === null || t.ratedAt === null ? null : { score: t.ratingScore, comment: t.ratingComment, at: iso(t.ratedAt) },
    version: t.version,
    createdAt: iso(t.createdAt),
    updatedAt: iso(t.updatedAt),
  };
}

export function eventView(e: TicketEvent): EventAnswer {
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

export class EventActorAnswer {
  @Field(string()) sub!: string;
  @Field(oneOf([...ROLES, 'system'])) role!: string;
  @Field(nullable(string('R-U3: the display name of the person who acted; null for systems and scheduled jobs'))) name!: string | null;
}

/** API.md's Event: one entry of a ticket's history. */
@AnswerShape({ name: 'Event', description: 'One entry of a ticket history (R-T6).' })
export class EventAnswer {
  @Field(string()) id!: string;
  @Field(string()) ticketNumber!: string;
  @Field(oneOf(EVENT_TYPES)) type!: string;
  @Field(nullable(oneOf(TICKET_STATUSES))) fromStatus!: TicketStatus | null;
  @Field(nullable(oneOf(TICKET_STATUSES))) toStatus!: TicketStatus | null;
  @Field(nullable(string())) note!: string | null;
  @Field(inline(EventActorAnswer)) actor!: EventActorAnswer;
  @Field(time()) occurredAt!: string;
  @Field(time('When the service received the event')) recordedAt!: string;
}

const EVENT_EXAMPLE = {
  id: '1', ticketNumber: 'G5422026000123', type: 'CREATED', fromStatus: null, toStatus: 'LAPOR', note: null,
  actor: { sub: 'cso-1', role: 'cso', name: 'Sari Wulandari' }, occurredAt: '2026-11-23T01:00:00.000Z', recordedAt: '2026-11-23T01:00:00.000Z',
};

@AnswerShape({ name: 'EventList', description: 'A ticket history, oldest first.', example: { items: [EVENT_EXAMPLE] } })
export class EventListAnswer {
  @Field(list(ref(EventAnswer))) items!: EventAnswer[];
}
