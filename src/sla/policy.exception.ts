import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the SLA policies refuse (the table below gives each its answer). */
export enum PolicyErrorCode {
  NO_MATCHING_POLICY = 'POLICY_NO_MATCHING_POLICY',
}

/** The problem+json each code answers with (API.md). */
const POLICY_PROBLEMS: Record<PolicyErrorCode, ProblemCode> = {
  [PolicyErrorCode.NO_MATCHING_POLICY]: ProblemCode.INTERNAL,
};

export class PolicyException extends DomainException<PolicyErrorCode> {
  protected readonly problems = POLICY_PROBLEMS;
}
