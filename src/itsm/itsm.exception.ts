import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the ITSM references refuse (the table below gives each its answer). */
export enum ItsmErrorCode {
  NOT_FOUND = 'ITSM_NOT_FOUND',
  CLOSED = 'ITSM_CLOSED',
  ITSM_TICKET_TAKEN = 'ITSM_ITSM_TICKET_TAKEN',
}

/** The problem+json each code answers with (API.md). */
const ITSM_PROBLEMS: Record<ItsmErrorCode, ProblemCode> = {
  [ItsmErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [ItsmErrorCode.CLOSED]: ProblemCode.INVALID_TRANSITION,
  [ItsmErrorCode.ITSM_TICKET_TAKEN]: ProblemCode.CONFLICT,
};

export class ItsmException extends DomainException<ItsmErrorCode> {
  protected readonly problems = ITSM_PROBLEMS;
}
