import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the units refuse (the table below gives each its answer). */
export enum UnitErrorCode {
  NOT_FOUND = 'UNIT_NOT_FOUND',
  /** R-H4: the new parent lies beneath the unit */
  CYCLE = 'UNIT_CYCLE',
  /** R-H1, R-H4: the parent is not one level up (a skipped level, or a parent of a UID) */
  WRONG_LEVEL = 'UNIT_WRONG_LEVEL',
  /** a level change of a unit with units beneath it, or of a ULP with tickets or outages */
  LEVEL_IN_USE = 'UNIT_LEVEL_IN_USE',
}

/** The problem+json each code answers with (API.md). */
const UNIT_PROBLEMS: Record<UnitErrorCode, ProblemCode> = {
  [UnitErrorCode.NOT_FOUND]: ProblemCode.NOT_FOUND,
  [UnitErrorCode.CYCLE]: ProblemCode.CONFLICT,
  [UnitErrorCode.WRONG_LEVEL]: ProblemCode.CONFLICT,
  [UnitErrorCode.LEVEL_IN_USE]: ProblemCode.CONFLICT,
};

export class UnitException extends DomainException<UnitErrorCode> {
  protected readonly problems = UNIT_PROBLEMS;
}
