import { DomainException } from '../common/domain.exception';

/** What the mass outages refuse (src/http/domain-problems.ts gives each its HTTP answer). */
export enum OutageErrorCode {
  NOT_FOUND = 'OUTAGE_NOT_FOUND',
  INVALID_TRANSITION = 'OUTAGE_INVALID_TRANSITION',
  VERSION_MISMATCH = 'OUTAGE_VERSION_MISMATCH',
  IF_MATCH_UNREADABLE = 'OUTAGE_IF_MATCH_UNREADABLE',
}

export class OutageException extends DomainException<OutageErrorCode> {}
