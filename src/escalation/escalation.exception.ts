import { DomainException } from '../common/domain.exception';

/** What the escalation queue refuses (src/http/domain-problems.ts gives each its HTTP answer). */
export enum EscalationErrorCode {
  NOT_FOUND = 'ESCALATION_NOT_FOUND',
  NOT_CLAIMED = 'ESCALATION_NOT_CLAIMED',
  NOT_THE_CLAIMER = 'ESCALATION_NOT_THE_CLAIMER',
  LEASE_EXPIRED = 'ESCALATION_LEASE_EXPIRED',
}

export class EscalationException extends DomainException<EscalationErrorCode> {}
