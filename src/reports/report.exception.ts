import { DomainException } from '../common/domain.exception';
import { ProblemCode } from '../common/problem-code';

/** What the reports refuse (the table below gives each its answer). */
export enum ReportErrorCode {
  UNIT_NOT_FOUND = 'REPORT_UNIT_NOT_FOUND',
}

/** The problem+json each code answers with (API.md). */
const REPORT_PROBLEMS: Record<ReportErrorCode, ProblemCode> = {
  [ReportErrorCode.UNIT_NOT_FOUND]: ProblemCode.NOT_FOUND,
};

export class ReportException extends DomainException<ReportErrorCode> {
  protected readonly problems = REPORT_PROBLEMS;
}
