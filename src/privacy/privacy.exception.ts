import { DomainException } from '../common/domain.exception';

/** What the personal-data endpoints refuse (src/http/domain-problems.ts gives each its HTTP answer). */
export enum PrivacyErrorCode {
  /** R-P3: the customer still has tickets in handling (or an order alive at ListriQu). */
  UNFINISHED_TICKETS = 'PRIVACY_UNFINISHED_TICKETS',
}

export class PrivacyException extends DomainException<PrivacyErrorCode> {}
