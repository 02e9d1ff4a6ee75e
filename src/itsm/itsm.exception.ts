import { DomainException } from '../common/domain.exception';

/** What the ITSM references refuse (src/http/domain-problems.ts gives each its HTTP answer). */
export enum ItsmErrorCode {
  NOT_FOUND = 'ITSM_NOT_FOUND',
  CLOSED = 'ITSM_CLOSED',
  ITSM_TICKET_TAKEN = 'ITSM_ITSM_TICKET_TAKEN',
}

export class ItsmException extends DomainException<ItsmErrorCode> {}
