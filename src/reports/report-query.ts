import type { Caller } from '../auth/roles';
import { invalidInput } from '../common/domain.exception';
import { ReportException, ReportErrorCode } from './report.exception';

// The parameters of the reports (API.md `reports`, DOMAIN.md §13), checked before any query runs.
export interface Period {
  from: string;
  to: string;
  unitCode: string | null;
}

/** The longest period a report covers: a year, leap day included. */
export const MAX_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const UNIT_CODE = /^\d{3}$/;
const DAY_MS = 86_400_000;

/** A calendar date YYYY-MM-DD that exists (no 31 November), as UTC midnight. */
function calendarDate(field: string, raw: string | undefined): number {
  if (raw === undefined || raw === '') throw invalidInput(field, `${field} is required (YYYY-MM-DD)`);
  const at = Date.parse(`${raw}T00:00:00Z`);
  if (!DATE.test(raw) || Number.isNaN(at) || new Date(at).toISOString().slice(0, 10) !== raw) {
    throw invalidInput(field, `${field} must be a calendar date YYYY-MM-DD`);
  }
  return at;
}

/**
 * The unit a report is for. A `unit` caller sees its own unit only (DOMAIN.md §10): it may omit
 * `unitCode`, and naming another unit is 404, as another unit's ticket is ("as if it did not exist").
 */
export function scopedUnit(caller: Caller, raw: string | undefined): string | null {
  if (raw !== undefined && !UNIT_CODE.test(raw)) throw invalidInput('unitCode', 'unitCode must be 3 digits');
  if (caller.role !== 'unit') return raw ?? null;
  if (raw !== undefined && raw !== caller.unit) throw new ReportException(ReportErrorCode.UNIT_NOT_FOUND, `Unit ${raw} not found`);
  return caller.unit ?? null;
}

/** `from`…`to`, both included, at most MAX_DAYS days (R-M2, R-M4). */
export function parsePeriod(caller: Caller, query: { from?: string; to?: string; unitCode?: string }): Period {
  const from = calendarDate('from', query.from);
  const to = calendarDate('to', query.to);
  if (to < from) throw invalidInput('to', 'to must not be before from');
  if ((to - from) / DAY_MS + 1 > MAX_DAYS) throw invalidInput('to', `a report covers at most ${MAX_DAYS} days`);
  return { from: query.from!, to: query.to!, unitCode: scopedUnit(caller, query.unitCode) };
}

/** A month YYYY-MM as the period of its days (R-M3). */
export function parseMonth(caller: Caller, query: { month?: string; unitCode?: string }): Period & { month: string } {
  const month = query.month;
  if (month === undefined || month === '') throw invalidInput('month', 'month is required (YYYY-MM)');
  if (!MONTH.test(month)) throw invalidInput('month', 'month must be YYYY-MM');
  const [year, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return { month, from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}`, unitCode: scopedUnit(caller, query.unitCode) };
}
