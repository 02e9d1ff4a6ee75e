import { DomainException } from '../common/domain.exception';

/** What the outbound module refuses (src/http/domain-problems.ts gives each its HTTP answer). */
export enum OutboundErrorCode {
  WEBHOOK_NOT_FOUND = 'OUTBOUND_WEBHOOK_NOT_FOUND',
  MESSAGE_NOT_FOUND = 'OUTBOUND_MESSAGE_NOT_FOUND',
}

export class OutboundException extends DomainException<OutboundErrorCode> {}
