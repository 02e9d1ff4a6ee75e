import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the ticket core refuses (the table below gives each its answer). */
export enum TicketErrorCode {
  NOT_FOUND = 'TICKET_NOT_FOUND',
  INVALID_TRANSITION = 'TICKET_INVALID_TRANSITION',
  VERSION_MISMATCH = 'TICKET_VERSION_MISMATCH',
  NUMBERS_EXHAUSTED = 'TICKET_NUMBERS_EXHAUSTED',
  NO_MATCHING_POLICY = 'TICKET_NO_MATCHING_POLICY',
}

/** The problem+json each code answers with (API.md). */
const TICKET_PROBLEMS: Record<TicketErrorCode, ProblemCode> = {
  [TicketErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [TicketErrorCode.INVALID_TRANSITION]: ProblemCode.INVALID_TRANSITION,
  [TicketErrorCode.VERSION_MISMATCH]: ProblemCode.PRECONDITION_FAILED,
  [TicketErrorCode.NUMBERS_EXHAUSTED]: ProblemCode.NUMBER_EXHAUSTED,
  [TicketErrorCode.NO_MATCHING_POLICY]: ProblemCode.INTERNAL, // the seeded <KIND>.*.* policy was removed
};

export class TicketException extends DomainException<TicketErrorCode> {
  protected readonly problems = TICKET_PROBLEMS;
}
