import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the intake workflows refuse (the table below gives each its answer). */
export enum IntakeErrorCode {
  INVALID_TRANSITION = 'INTAKE_INVALID_TRANSITION',
  NOT_REPEATABLE = 'INTAKE_NOT_REPEATABLE',
}

/** The problem+json each code answers with (API.md). */
const INTAKE_PROBLEMS: Record<IntakeErrorCode, ProblemCode> = {
  [IntakeErrorCode.INVALID_TRANSITION]: ProblemCode.INVALID_TRANSITION,
  [IntakeErrorCode.NOT_REPEATABLE]: ProblemCode.NOT_REPEATABLE,
};

export class IntakeException extends DomainException<IntakeErrorCode> {
  protected readonly problems = INTAKE_PROBLEMS;
}
