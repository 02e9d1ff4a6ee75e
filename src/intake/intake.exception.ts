import { DomainException } from '../common/domain.exception';

/** What the intake workflows refuse (src/http/domain-problems.ts gives each its HTTP answer). */
export enum IntakeErrorCode {
  INVALID_TRANSITION = 'INTAKE_INVALID_TRANSITION',
  NOT_REPEATABLE = 'INTAKE_NOT_REPEATABLE',
}

export class IntakeException extends DomainException<IntakeErrorCode> {}
