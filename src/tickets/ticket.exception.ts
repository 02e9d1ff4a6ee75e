import { DomainException } from '../common/domain.exception';

/** What the ticket core refuses (src/http/domain-problems.ts gives each its HTTP answer). */
export enum TicketErrorCode {
  NOT_FOUND = 'TICKET_NOT_FOUND',
  INVALID_TRANSITION = 'TICKET_INVALID_TRANSITION',
  VERSION_MISMATCH = 'TICKET_VERSION_MISMATCH',
  NUMBERS_EXHAUSTED = 'TICKET_NUMBERS_EXHAUSTED',
  NO_MATCHING_POLICY = 'TICKET_NO_MATCHING_POLICY',
}

export class TicketException extends DomainException<TicketErrorCode> {}
