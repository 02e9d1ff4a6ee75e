import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the personal-data endpoints refuse (the table below gives each its answer). */
export enum PrivacyErrorCode {
  /** R-P3: the customer still has tickets in handling (or an order alive at ListriQu). */
  UNFINISHED_TICKETS = 'PRIVACY_UNFINISHED_TICKETS',
}

/** The problem+json each code answers with (API.md). */
const PRIVACY_PROBLEMS: Record<PrivacyErrorCode, ProblemCode> = {
  [PrivacyErrorCode.UNFINISHED_TICKETS]: ProblemCode.CONFLICT,
};

export class PrivacyException extends DomainException<PrivacyErrorCode> {
  protected readonly problems = PRIVACY_PROBLEMS;
}
