import { DomainException } from '../common/domain.exception';

/** What the units refuse (src/http/domain-problems.ts gives each its HTTP answer). */
export enum UnitErrorCode {
  NOT_FOUND = 'UNIT_NOT_FOUND',
}

export class UnitException extends DomainException<UnitErrorCode> {}
