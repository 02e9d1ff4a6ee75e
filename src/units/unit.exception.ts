import { DomainException } from '../common/domain.exception';

/** What the units refuse (src/http/domain-problems.ts gives each its HTTP answer). */
export enum UnitErrorCode {
  NOT_FOUND = 'UNIT_NOT_FOUND',
  /** R-H4: the new parent lies beneath the unit */
  CYCLE = 'UNIT_CYCLE',
  /** R-H1, R-H4: the parent is not one level up (a skipped level, or a parent of a UID) */
  WRONG_LEVEL = 'UNIT_WRONG_LEVEL',
  /** a level change of a unit with units beneath it, or of a ULP with tickets or outages */
  LEVEL_IN_USE = 'UNIT_LEVEL_IN_USE',
}

export class UnitException extends DomainException<UnitErrorCode> {}
