import { AnswerShape, Field, oneOf } from '../common/answer-shape';

/** The document's Health (issue 24): what /health/live and /health/ready answer. */
@AnswerShape({ name: 'Health', description: 'The process (live) or the database (ready) answers.', example: { status: 'ok' } })
export class HealthAnswer {
  @Field(oneOf(['ok'])) status!: 'ok';
}

export const HEALTHY: HealthAnswer = { status: 'ok' };
