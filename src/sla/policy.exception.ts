import { DomainException } from '../common/domain.exception';

/** What the SLA policies refuse (src/http/domain-problems.ts gives each its HTTP answer). */
export enum PolicyErrorCode {
  NO_MATCHING_POLICY = 'POLICY_NO_MATCHING_POLICY',
}

export class PolicyException extends DomainException<PolicyErrorCode> {}
