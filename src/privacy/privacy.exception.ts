import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the personal-data endpoints refuse (the table below gives each its answer). */
export enum PrivacyErrorCode {
  /** R-P3: the customer still has tickets in handling (or an order alive at ListriQu). */
  UNFINISHED_TICKETS = 'PRIVACY_UNFINISHED_TICKETS',
  /** R-P5: more customer lookups this minute than LOOKUP_RATE_PER_MINUTE. */
  TOO_MANY_LOOKUPS = 'PRIVACY_TOO_MANY_LOOKUPS',
}

/** The problem+json each code answers with (API.md). */
const PRIVACY_PROBLEMS: Record<PrivacyErrorCode, ProblemCode> = {
  [PrivacyErrorCode.UNFINISHED_TICKETS]: ProblemCode.CONFLICT,
  [PrivacyErrorCode.TOO_MANY_LOOKUPS]: ProblemCode.TOO_MANY_REQUESTS,
};

export class PrivacyException extends DomainException<PrivacyErrorCode> {
  protected readonly problems = PRIVACY_PROBLEMS;

  /** Seconds until the caller may try again (R-P5), for the answer's Retry-After. */
  retryAfter?: number;
}
