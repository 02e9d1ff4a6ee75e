import { AnswerShape, Field, integer, list, ref, string } from './answer-shape';

// The problem+json body (RFC 9457) as the document's Problem and FieldError (issue 24): Problem.body()
// and the problem filter are typed to fill these classes.

@AnswerShape({ name: 'FieldError' })
export class FieldError {
  @Field(string('Path of the field, e.g. customer.idPel')) field!: string;
  @Field(string()) message!: string;
}

@AnswerShape({
  name: 'Problem',
  description: 'RFC 9457 problem details; `type` is documented in docs/problems.md.',
  example: { type: 'https://apkt.pln.co.id/problems/not-found', title: 'Not found', status: 404, detail: 'Ticket not found', instance: '/api/v1/tickets/G5422026000999' },
})
export class ProblemBody {
  @Field({ kind: 'schema', schema: { type: 'string', format: 'uri' } }) type!: string;
  @Field(string()) title!: string;
  @Field(integer()) status!: number;
  @Field(string()) detail!: string;
  /** RFC 9457 §3.1.5: the request path the problem occurred at. */
  @Field(string('The request path')) instance!: string;
  @Field(list(ref(FieldError), 'For validation failures (400)'), { optional: true }) errors?: FieldError[];
  @Field(string('On a 500: the X-Request-Id of the request'), { optional: true }) requestId?: string;
}
