import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the outbound module refuses (the table below gives each its answer). */
export enum OutboundErrorCode {
  WEBHOOK_NOT_FOUND = 'OUTBOUND_WEBHOOK_NOT_FOUND',
  MESSAGE_NOT_FOUND = 'OUTBOUND_MESSAGE_NOT_FOUND',
}

/** The problem+json each code answers with (API.md). */
const OUTBOUND_PROBLEMS: Record<OutboundErrorCode, ProblemCode> = {
  [OutboundErrorCode.WEBHOOK_NOT_FOUND]: ProblemCode.NOT_FOUND,
  [OutboundErrorCode.MESSAGE_NOT_FOUND]: ProblemCode.NOT_FOUND,
};

export class OutboundException extends DomainException<OutboundErrorCode> {
  protected readonly problems = OUTBOUND_PROBLEMS;
}
