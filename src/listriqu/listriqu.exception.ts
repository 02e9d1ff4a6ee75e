import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the ListriQu orders refuse (the table below gives each its answer). */
export enum ListriquErrorCode {
  NOT_FOUND = 'LISTRIQU_NOT_FOUND',
  INVALID_TRANSITION = 'LISTRIQU_INVALID_TRANSITION',
}

/** The problem+json each code answers with (API.md). */
const LISTRIQU_PROBLEMS: Record<ListriquErrorCode, ProblemCode> = {
  [ListriquErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [ListriquErrorCode.INVALID_TRANSITION]: ProblemCode.INVALID_TRANSITION,
};

export class ListriquException extends DomainException<ListriquErrorCode> {
  protected readonly problems = LISTRIQU_PROBLEMS;
}
