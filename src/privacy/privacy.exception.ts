import { DomainException } from '../common/domain.exception';

/** What the personal-data endpoints refuse (src/http/domain-problems.ts gives each its HTTP answer). */
export enum PrivacyErrorCode {
  /** R-P3: the customer still has tickets in handling (or an order alive at ListriQu). */
  UNFINISHED_TICKETS = 'PRIVACY_UNFINISHED_TICKETS',
  /** R-P5: more customer lookups this minute than LOOKUP_RATE_PER_MINUTE. */
  TOO_MANY_LOOKUPS = 'PRIVACY_TOO_MANY_LOOKUPS',
}

export class PrivacyException extends DomainException<PrivacyErrorCode> {
  /** Seconds until the caller may try again (R-P5), for the answer's Retry-After. */
  retryAfter?: number;
}
