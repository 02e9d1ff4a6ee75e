import { DomainException, InputErrorCode } from '../common/domain.exception';
import { EscalationErrorCode } from '../escalation/escalation.exception';
import { IntakeErrorCode } from '../intake/intake.exception';
import { ItsmErrorCode } from '../itsm/itsm.exception';
import { ListriquErrorCode } from '../listriqu/listriqu.exception';
import { OutageErrorCode } from '../outages/outage.exception';
import { OutboundErrorCode } from '../outbound/outbound.exception';
import { ReportErrorCode } from '../reports/report.exception';
import { PolicyErrorCode } from '../sla/policy.exception';
import { TicketErrorCode } from '../tickets/ticket.exception';
import { UnitErrorCode } from '../units/unit.exception';
import { PrivacyErrorCode } from '../privacy/privacy.exception';
import { Problem, ProblemCode } from './problem';

type DomainCode = InputErrorCode | TicketErrorCode | IntakeErrorCode | EscalationErrorCode | ItsmErrorCode | ListriquErrorCode | OutageErrorCode | ReportErrorCode | PolicyErrorCode | UnitErrorCode | OutboundErrorCode | PrivacyErrorCode;

// The one mapping from the modules' error codes to API.md's answers: each code to the ProblemCode
// whose status, problem `type` and title it answers with (problem.ts). A new code fails to compile
// until it is given its answer here.
const PROBLEM_OF: Record<DomainCode, ProblemCode> = {
  [OutboundErrorCode.WEBHOOK_NOT_FOUND]: ProblemCode.NOT_FOUND,
  [OutboundErrorCode.MESSAGE_NOT_FOUND]: ProblemCode.NOT_FOUND,

  [InputErrorCode.INVALID_FIELD]: ProblemCode.VALIDATION,

  [TicketErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [TicketErrorCode.INVALID_TRANSITION]: ProblemCode.INVALID_TRANSITION,
  [TicketErrorCode.VERSION_MISMATCH]: ProblemCode.PRECONDITION_FAILED,
  [TicketErrorCode.NUMBERS_EXHAUSTED]: ProblemCode.NUMBER_EXHAUSTED,
  [TicketErrorCode.NO_MATCHING_POLICY]: ProblemCode.INTERNAL, // the seeded <KIND>.*.* policy was removed

  [IntakeErrorCode.INVALID_TRANSITION]: ProblemCode.INVALID_TRANSITION,
  [IntakeErrorCode.NOT_REPEATABLE]: ProblemCode.NOT_REPEATABLE,

  [EscalationErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [EscalationErrorCode.NOT_CLAIMED]: ProblemCode.INVALID_TRANSITION,
  [EscalationErrorCode.NOT_THE_CLAIMER]: ProblemCode.CONFLICT,
  [EscalationErrorCode.LEASE_EXPIRED]: ProblemCode.CONFLICT,

  [ItsmErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [ItsmErrorCode.CLOSED]: ProblemCode.INVALID_TRANSITION,
  [ItsmErrorCode.ITSM_TICKET_TAKEN]: ProblemCode.CONFLICT,

  [ListriquErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [ListriquErrorCode.INVALID_TRANSITION]: ProblemCode.INVALID_TRANSITION,

  [OutageErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [OutageErrorCode.INVALID_TRANSITION]: ProblemCode.INVALID_TRANSITION,
  [OutageErrorCode.VERSION_MISMATCH]: ProblemCode.PRECONDITION_FAILED,
  [OutageErrorCode.IF_MATCH_UNREADABLE]: ProblemCode.PRECONDITION_FAILED,

  [ReportErrorCode.UNIT_NOT_FOUND]: ProblemCode.NOT_FOUND,
  [PolicyErrorCode.NO_MATCHING_POLICY]: ProblemCode.INTERNAL,
  [UnitErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,

  [PrivacyErrorCode.UNFINISHED_TICKETS]: ProblemCode.CONFLICT,
  [PrivacyErrorCode.TOO_MANY_LOOKUPS]: ProblemCode.TOO_MANY_REQUESTS,
  [UnitErrorCode.CYCLE]: ProblemCode.CONFLICT,
  [UnitErrorCode.WRONG_LEVEL]: ProblemCode.CONFLICT,
  [UnitErrorCode.LEVEL_IN_USE]: ProblemCode.CONFLICT,
};

/** The problem+json a module's refusal answers with: its code's status, type and title, its own detail and errors. */
export function problemOf(error: DomainException): Problem {
  const problem = new Problem(PROBLEM_OF[error.code as DomainCode] ?? ProblemCode.INTERNAL, error.detail, error.errors);
  const retryAfter = (error as { retryAfter?: number }).retryAfter; // R-P5's 429
  if (retryAfter !== undefined) problem.retryAfter = retryAfter;
  return problem;
}
