import { AnswerShape, Field, inline, integer, list, nullable, ref, string, time } from '../common/answer-shape';
import { EscalationAnswer } from '../escalation/escalation.view';
import { ItsmReferenceAnswer } from '../itsm/itsm.view';
import { ImlLocationAnswer, ORDER_EXAMPLE, OrderAnswer, type OrderWithLocation } from '../listriqu/listriqu.view';
import { EventAnswer, TICKET_EXAMPLE, TicketAnswer } from '../tickets/ticket.view';

// The answers of R-P1…R-P3 (docs/privacy.md); issue 24: the document's PersonalDataExport, Erasure and
// AccessLogPage are these classes, and the privacy service is typed to return them.

export class ExportSubject {
  @Field(nullable(string('As asked'))) idPel!: string | null;
  @Field(nullable(string('As asked'))) phone!: string | null;
  @Field(list(string())) names!: string[];
  @Field(list(string())) phones!: string[];
  @Field(list(string())) idPels!: string[];
  @Field(list(string())) meterNumbers!: string[];
  @Field(list(string())) addresses!: string[];
  @Field(list(string())) emails!: string[];
}

/** A Ticket with its history. */
export type TicketWithEvents = TicketAnswer & { events: EventAnswer[] };

@AnswerShape({
  name: 'PersonalDataExport',
  description: 'Everything held about one customer (R-P2).',
  example: {
    subject: { idPel: '512345678901', phone: null, names: ['Budi'], phones: ['081234567890'], idPels: ['512345678901'], meterNumbers: [], addresses: ['Jl. Merdeka 1'], emails: [] },
    exportedAt: '2026-11-23T01:00:00.000Z', tickets: [], orders: [], itsmReferences: [], escalations: [],
  },
})
export class PersonalDataExport {
  @Field(inline(ExportSubject, { description: 'Every identifier held of the customer, each once' })) subject!: ExportSubject;
  @Field(time()) exportedAt!: string;
  @Field(list(inline(TicketAnswer, { description: 'A Ticket with its history', example: { ...TICKET_EXAMPLE, events: [] }, extend: { events: { shape: list(ref(EventAnswer)) } } })))
  tickets!: TicketWithEvents[];
  @Field(list(inline(OrderAnswer, { description: 'A ListriQu order with the IML location it holds (R-I2)', example: { ...ORDER_EXAMPLE, location: { regency: 'Kab. Bandung', district: 'Cileunyi', village: 'Cimekar', landmark: 'Dekat masjid', latitude: -6.93, longitude: 107.72 } }, extend: { location: { shape: inline(ImlLocationAnswer, { description: 'Null fields when the report held none, or after an erasure' }) } } })))
  orders!: OrderWithLocation[];
  @Field(list(ref(ItsmReferenceAnswer))) itsmReferences!: ItsmReferenceAnswer[];
  @Field(list(ref(EscalationAnswer))) escalations!: EscalationAnswer[];
}

@AnswerShape({
  name: 'Erasure',
  description: 'An erasure as recorded, without the data it erased (R-P3).',
  example: { id: '7e0c9a4e-2f1b-4d7a-9c55-1a2b3c4d5e6f', erasedAt: '2026-11-23T01:00:00.000Z', by: 'admin-1', reason: 'Permintaan pelanggan', records: 7 },
})
export class ErasureAnswer {
  @Field(string()) id!: string;
  @Field(time()) erasedAt!: string;
  @Field(string('The sub of the admin (system for R-P4)')) by!: string;
  @Field(string()) reason!: string;
  @Field(integer('Rows changed: tickets, notes, orders, references, escalations')) records!: number;
}

export class AccessAnswer {
  @Field(time()) at!: string;
  @Field(string()) sub!: string;
  @Field(string()) role!: string;
  @Field(string('Method and route template')) endpoint!: string;
  @Field(string()) requestId!: string;
  @Field(list(string())) ticketNumbers!: string[];
}

@AnswerShape({
  name: 'AccessLogPage',
  description: 'Who was shown whose personal data, newest first (R-P1).',
  example: { items: [{ at: '2026-11-23T01:00:00.000Z', sub: 'cso-1', role: 'cso', endpoint: 'GET /api/v1/customers/history', requestId: 'b1c2', ticketNumbers: ['G5422026000123'] }], nextCursor: null },
})
export class AccessLogPage {
  @Field(list(inline(AccessAnswer))) items!: AccessAnswer[];
  @Field(nullable(string())) nextCursor!: string | null;
}
