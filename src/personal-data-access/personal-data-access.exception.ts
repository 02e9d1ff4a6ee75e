import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the personal-data access guards refuse (the table below gives each its answer). */
export enum PersonalDataAccessErrorCode {
  /** R-P5: more customer lookups this minute than LOOKUP_RATE_PER_MINUTE. */
  TOO_MANY_LOOKUPS = 'PRIVACY_TOO_MANY_LOOKUPS',
}

/** The problem+json each code answers with (API.md). */
const PERSONAL_DATA_ACCESS_PROBLEMS: Record<PersonalDataAccessErrorCode, ProblemCode> = {
  [PersonalDataAccessErrorCode.TOO_MANY_LOOKUPS]: ProblemCode.TOO_MANY_REQUESTS,
};

export class PersonalDataAccessException extends DomainException<PersonalDataAccessErrorCode> {
  protected readonly problems = PERSONAL_DATA_ACCESS_PROBLEMS; // its 429 carries retryAfter (R-P5)
}
