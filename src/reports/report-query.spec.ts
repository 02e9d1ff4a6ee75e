import { toProblem } from '../http/problem.filter';
import { parseMonth, parsePeriod } from './report-query';

const status = (run: () => unknown): number | string => {
  try {
    return JSON.stringify(run());
  } catch (error) {
    return toProblem(error).status; // the HTTP answer src/http gives the module's error
  }
};

describe('R-M2 / R-M4 report period', () => {
  it.each<[string, Record<string, string>, number | object]>([
    ['a month, all units', { from: '2026-11-01', to: '2026-11-30' }, { from: '2026-11-01', to: '2026-11-30', unitCode: null }],
    ['one day', { from: '2026-11-05', to: '2026-11-05', unitCode: '542' }, { from: '2026-11-05', to: '2026-11-05', unitCode: '542' }],
    ['366 days (a leap year)', { from: '2028-01-01', to: '2028-12-31' }, { from: '2028-01-01', to: '2028-12-31', unitCode: null }],
    ['367 days', { from: '2028-01-01', to: '2029-01-01' }, 400],
    ['to before from', { from: '2026-11-02', to: '2026-11-01' }, 400],
    ['a date that does not exist', { from: '2026-11-31', to: '2026-12-01' }, 400],
    ['a time, not a date', { from: '2026-11-01T00:00:00Z', to: '2026-11-02' }, 400],
    ['from missing', { to: '2026-11-02' }, 400],
    ['R-H3 a UP3 or UID code (2–5 digits)', { from: '2026-11-01', to: '2026-11-02', unitCode: '54' }, { from: '2026-11-01', to: '2026-11-02', unitCode: '54' }],
    ['unitCode of 1 digit', { from: '2026-11-01', to: '2026-11-02', unitCode: '5' }, 400],
    ['unitCode of 6 digits', { from: '2026-11-01', to: '2026-11-02', unitCode: '543210' }, 400],
  ])('%s', (_, query, expected) => {
    expect(status(() => parsePeriod(query))).toBe(typeof expected === 'number' ? expected : JSON.stringify(expected));
  });
});

describe('R-M3 report month', () => {
  it.each<[string, Record<string, string>, number | object]>([
    ['February of a leap year', { month: '2028-02' }, { month: '2028-02', from: '2028-02-01', to: '2028-02-29', unitCode: null }],
    ['November', { month: '2026-11', unitCode: '542' }, { month: '2026-11', from: '2026-11-01', to: '2026-11-30', unitCode: '542' }],
    ['month 13', { month: '2026-13' }, 400],
    ['a date', { month: '2026-11-01' }, 400],
    ['missing', {}, 400],
  ])('%s', (_, query, expected) => {
    expect(status(() => parseMonth(query))).toBe(typeof expected === 'number' ? expected : JSON.stringify(expected));
  });
});
