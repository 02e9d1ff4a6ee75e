import { DomainException } from '../common/domain.exception';

/** What the reports refuse (src/http/domain-problems.ts gives each its HTTP answer). */
export enum ReportErrorCode {
  UNIT_NOT_FOUND = 'REPORT_UNIT_NOT_FOUND',
}

export class ReportException extends DomainException<ReportErrorCode> {}
