import { invalidInput } from '../common/domain.exception';
import type { UnitSpan } from '../units/roll-up.sql';
import { ANY_UNIT_CODE } from '../units/unit-tree.rules';

// The parameters of the reports (API.md `reports`, DOMAIN.md §13), checked before any query runs.
export interface AskedPeriod {
  from: string;
  to: string;
  /** the unit asked for (any level, R-H3), or null */
  unitCode: string | null;
}

/** A period with the ULPs it covers and the node whose roll-up it adds (ReportsService resolves them, R-H2/R-H3). */
export type Period = AskedPeriod & UnitSpan;

/** The longest period a report covers: a year, leap day included. */
export const MAX_DAYS = 366;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
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

function unitCodeOf(raw: string | undefined): string | null {
  if (raw !== undefined && !ANY_UNIT_CODE.test(raw)) throw invalidInput('unitCode', 'unitCode is a unit code of 2–5 digits');
  return raw ?? null;
}

/** `from`…`to`, both included, at most MAX_DAYS days (R-M2, R-M4). */
export function parsePeriod(query: { from?: string; to?: string; unitCode?: string }): AskedPeriod {
  const from = calendarDate('from', query.from);
  const to = calendarDate('to', query.to);
  if (to < from) throw invalidInput('to', 'to must not be before from');
  if ((to - from) / DAY_MS + 1 > MAX_DAYS) throw invalidInput('to', `a report covers at most ${MAX_DAYS} days`);
  return { from: query.from!, to: query.to!, unitCode: unitCodeOf(query.unitCode) };
}

/** A month YYYY-MM as the period of its days (R-M3). */
export function parseMonth(query: { month?: string; unitCode?: string }): AskedPeriod & { month: string } {
  const month = query.month;
  if (month === undefined || month === '') throw invalidInput('month', 'month is required (YYYY-MM)');
  if (!MONTH.test(month)) throw invalidInput('month', 'month must be YYYY-MM');
  const [year, m] = month.split('-').map(Number);
  const last = new Date(Date.UTC(year, m, 0)).getUTCDate();
  return { month, from: `${month}-01`, to: `${month}-${String(last).padStart(2, '0')}`, unitCode: unitCodeOf(query.unitCode) };
}
