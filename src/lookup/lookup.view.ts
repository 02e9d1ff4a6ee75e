import { AnswerShape, Field, inline, list, matching, nullable, oneOf, ref, string, time } from '../common/answer-shape';
import { ESCALATION_CATEGORIES } from '../escalation/escalation.rules';
import { ESCALATION_EXAMPLE, EscalationAnswer } from '../escalation/escalation.view';
import type { EscalationCategory, TicketKind, TicketStatus } from '../generated/prisma/enums';
import type { Treatment } from '../intake/rules/re-report.rule';
import { ITSM_EXAMPLE, ItsmReferenceAnswer } from '../itsm/itsm.view';
import { ORDER_EXAMPLE, OrderAnswer } from '../listriqu/listriqu.view';
import { OutageSummary, TICKET_EXAMPLE, TICKET_NUMBER_PATTERN, TICKET_STATUSES, TicketAnswer, TicketRatingAnswer, TREATMENTS } from '../tickets/ticket.view';

// The answers of the lookups (R-L1…R-L3); issue 24: the document's CustomerHistory, CustomerTicketList and
// ReReportPreview are these classes, and the lookups are typed to return them.

export class CustomerSummary {
  @Field(nullable(string())) name!: string | null;
  @Field(nullable(string())) phone!: string | null;
  @Field(nullable(string())) idPel!: string | null;
  @Field(nullable(string())) meterNumber!: string | null;
}

@AnswerShape({
  name: 'CustomerHistory',
  description: 'A customer’s history, each list newest first, at most 50 each (R-L1).',
  example: {
    customers: [{ name: 'Budi', phone: '081234567890', idPel: '512345678901', meterNumber: null }],
    tickets: [TICKET_EXAMPLE], orders: [ORDER_EXAMPLE], itsmReferences: [ITSM_EXAMPLE], escalations: [ESCALATION_EXAMPLE],
  },
})
export class HistoryAnswer {
  @Field(list(inline(CustomerSummary))) customers!: CustomerSummary[];
  @Field(list(ref(TicketAnswer))) tickets!: TicketAnswer[];
  @Field(list(ref(OrderAnswer))) orders!: OrderAnswer[];
  @Field(list(ref(ItsmReferenceAnswer))) itsmReferences!: ItsmReferenceAnswer[];
  @Field(list(ref(EscalationAnswer))) escalations!: EscalationAnswer[];
}

export class TimelineEntry {
  @Field(oneOf(TICKET_STATUSES)) status!: string;
  @Field(time()) at!: string;
}

/** R-L3: a ticket as PLN Mobile shows it to its customer — no notes, no actors, no other customer. */
export class CustomerTicket {
  @Field(matching(TICKET_NUMBER_PATTERN)) number!: string;
  @Field(oneOf(['GANGGUAN', 'KELUHAN'])) kind!: TicketKind;
  @Field(oneOf(TICKET_STATUSES)) status!: TicketStatus;
  @Field(time()) reportedAt!: string;
  @Field(nullable(string())) unitAnswer!: string | null;
  @Field(nullable(string('R-R10'))) successorNumber!: string | null;
  @Field(nullable(inline(OutageSummary, { description: 'The outage this ticket follows (R-O2)' }))) outage!: OutageSummary | null;
  @Field(nullable(inline(TicketRatingAnswer, { description: 'R-L4' }))) rating!: TicketRatingAnswer | null;
  @Field(list(inline(TimelineEntry))) timeline!: TimelineEntry[];
}

const CUSTOMER_TICKET_EXAMPLE = {
  number: 'G5422026000123', kind: 'GANGGUAN', status: 'SELESAI', reportedAt: '2026-11-23T01:00:00.000Z', unitAnswer: 'Sudah normal', successorNumber: null, outage: null, rating: null,
  timeline: [{ status: 'LAPOR', at: '2026-11-23T01:00:00.000Z' }, { status: 'SELESAI', at: '2026-11-23T03:00:00.000Z' }],
};

@AnswerShape({ name: 'CustomerTicketList', description: 'PLN Mobile: a customer’s tickets with their status timelines, newest first, at most 50 (R-L3).', example: { items: [CUSTOMER_TICKET_EXAMPLE] } })
export class CustomerTicketList {
  @Field(list(inline(CustomerTicket))) items!: CustomerTicket[];
}

export class PreviewEscalation {
  @Field(oneOf(ESCALATION_CATEGORIES)) category!: EscalationCategory;
  @Field(string()) note!: string;
}

/** R-L2: the ticket as the re-report would leave it; a new ticket has no number yet. */
export type PreviewTicket = Omit<TicketAnswer, 'number'> & { number: string | null };

@AnswerShape({
  name: 'ReReportPreview',
  description: 'What a re-report would do now; nothing is stored (R-L2).',
  example: {
    treatment: 'LAPOR_ULANG',
    ticket: { ...TICKET_EXAMPLE, number: 'G5422026000124', previousNumber: 'G5422026000123', reReported: true },
    escalations: [{ category: 'LAPOR_ULANG', note: 'Lapor ulang ketiga' }],
  },
})
export class PreviewAnswer {
  @Field(oneOf(TREATMENTS)) treatment!: Treatment;
  @Field(
    inline(TicketAnswer, {
      description: 'A Ticket as the re-report would leave it, not stored (`number` null for a new ticket).',
      extend: { number: { shape: nullable(matching(TICKET_NUMBER_PATTERN)) } },
    }),
  )
  ticket!: PreviewTicket;
  @Field(list(inline(PreviewEscalation))) escalations!: PreviewEscalation[];
}
