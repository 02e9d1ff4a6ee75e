import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the mass outages refuse (the table below gives each its answer). */
export enum OutageErrorCode {
  NOT_FOUND = 'OUTAGE_NOT_FOUND',
  INVALID_TRANSITION = 'OUTAGE_INVALID_TRANSITION',
  VERSION_MISMATCH = 'OUTAGE_VERSION_MISMATCH',
}

/** The problem+json each code answers with (API.md). */
const OUTAGE_PROBLEMS: Record<OutageErrorCode, ProblemCode> = {
  [OutageErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [OutageErrorCode.INVALID_TRANSITION]: ProblemCode.INVALID_TRANSITION,
  [OutageErrorCode.VERSION_MISMATCH]: ProblemCode.PRECONDITION_FAILED,
};

export class OutageException extends DomainException<OutageErrorCode> {
  protected readonly problems = OUTAGE_PROBLEMS;
}
