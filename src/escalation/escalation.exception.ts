import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the escalation queue refuses (the table below gives each its answer). */
export enum EscalationErrorCode {
  NOT_FOUND = 'ESCALATION_NOT_FOUND',
  NOT_CLAIMED = 'ESCALATION_NOT_CLAIMED',
  NOT_THE_CLAIMER = 'ESCALATION_NOT_THE_CLAIMER',
  LEASE_EXPIRED = 'ESCALATION_LEASE_EXPIRED',
}

/** The problem+json each code answers with (API.md). */
const ESCALATION_PROBLEMS: Record<EscalationErrorCode, ProblemCode> = {
  [EscalationErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [EscalationErrorCode.NOT_CLAIMED]: ProblemCode.INVALID_TRANSITION,
  [EscalationErrorCode.NOT_THE_CLAIMER]: ProblemCode.CONFLICT,
  [EscalationErrorCode.LEASE_EXPIRED]: ProblemCode.CONFLICT,
};

export class EscalationException extends DomainException<EscalationErrorCode> {
  protected readonly problems = ESCALATION_PROBLEMS;
}
