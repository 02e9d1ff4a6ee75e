import { AnswerShape, Field, list, nullable, oneOf, ref } from '../common/answer-shape';
import { EscalationAnswer } from '../escalation/escalation.view';
import { ORDER_EXAMPLE, OrderAnswer } from '../listriqu/listriqu.view';
import { TICKET_EXAMPLE, TicketAnswer, TREATMENTS } from '../tickets/ticket.view';
import type { Treatment } from './rules/re-report.rule';

// The answers of the intake workflows (issue 24: the document's ReReportAnswer, ConfirmationAnswer and
// ImlCorrectionAnswer are these classes; the services are typed to return them).


/** What a re-report did (R-R1…R-R8, R-I4). */
@AnswerShape({
  name: 'ReReportAnswer',
  description: 'What a re-report did (R-R1…R-R8, R-I4).',
  example: {
    treatment: 'LAPOR_ULANG',
    ticket: { ...TICKET_EXAMPLE, number: 'G5422026000124', previousNumber: 'G5422026000123', reReported: true },
    previous: { ...TICKET_EXAMPLE, status: 'DITUTUP', closeReason: 'RE_REPORTED', version: 4 },
    escalations: [],
    order: ORDER_EXAMPLE,
  },
})
export class ReReportAnswer {
  @Field(oneOf(TREATMENTS)) treatment!: Treatment;
  @Field(ref(TicketAnswer, 'The new ticket, or the changed previous one for UPDATE_LAPOR and LAPOR_MELEBIHI_SLA')) ticket!: TicketAnswer;
  @Field(ref(TicketAnswer)) previous!: TicketAnswer;
  @Field(list(ref(EscalationAnswer))) escalations!: EscalationAnswer[];
  @Field(nullable(ref(OrderAnswer, 'Only for LAPOR_ULANG_LISTRIQU'))) order!: OrderAnswer | null;
}

@AnswerShape({
  name: 'ConfirmationAnswer',
  description: 'The confirmed ticket and, when not resolved, the new one (R-C2).',
  example: {
    ticket: { ...TICKET_EXAMPLE, status: 'DITUTUP', closeReason: 'RE_REPORTED', version: 4 },
    newTicket: { ...TICKET_EXAMPLE, number: 'G5422026000124', previousNumber: 'G5422026000123' },
  },
})
export class ConfirmationAnswer {
  @Field(ref(TicketAnswer)) ticket!: TicketAnswer;
  @Field(nullable(ref(TicketAnswer))) newTicket!: TicketAnswer | null;
}

@AnswerShape({
  name: 'ImlCorrectionAnswer',
  description: 'The issue-closed Keluhan of the correction and the order (R-I3).',
  example: {
    ticket: { ...TICKET_EXAMPLE, number: 'K5422026000009', kind: 'KELUHAN', status: 'ISSUE_CLOSED', woType: null, problemType: 'INFORMASI' },
    order: ORDER_EXAMPLE,
  },
})
export class ImlCorrectionAnswer {
  @Field(ref(TicketAnswer)) ticket!: TicketAnswer;
  @Field(ref(OrderAnswer)) order!: OrderAnswer;
}
