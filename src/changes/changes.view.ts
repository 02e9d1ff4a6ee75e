import { AnswerShape, Field, list, ref, string } from '../common/answer-shape';
import { TICKET_EXAMPLE, TicketAnswer } from '../tickets/ticket.view';

/** R-F1, R-F2: a page of the change feed; the document's TicketChangesPage (issue 24). */
@AnswerShape({
  name: 'TicketChangesPage',
  description: 'The tickets whose latest change comes after `after`, in commit order (R-F1, R-F2).',
  example: { items: [TICKET_EXAMPLE], position: '1:0' },
})
export class ChangesPage {
  @Field(list(ref(TicketAnswer))) items!: TicketAnswer[];
  @Field(string('Pass as the next `after`')) position!: string;
}
