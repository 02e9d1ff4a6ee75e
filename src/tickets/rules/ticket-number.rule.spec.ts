import { formatTicketNumber, yearIn } from './ticket-number.rule';

describe('R-T2 Number', () => {
  it.each([
    ['GANGGUAN', '542', 2022, 691, 'G5422022000691'],
    ['GANGGUAN', '542', 2022, 104365, 'G5422022104365'],
    ['KELUHAN', '001', 2026, 1, 'K0012026000001'],
    ['KELUHAN', '999', 2026, 999999, 'K9992026999999'],
  ] as const)('%s unit %s year %d seq %d → %s', (kind, unit, year, seq, number) => {
    expect(formatTicketNumber(kind, unit, year, seq)).toBe(number);
  });

  it('refuses a sequence past 999999 rather than making a longer or duplicate number', () => {
    expect(() => formatTicketNumber('GANGGUAN', '542', 2026, 1_000_000)).toThrow(RangeError);
  });

  it('takes the year of reportedAt in the unit time zone', () => {
    const newYearsEveUtc = new Date('2026-12-31T18:30:00Z'); // 01:30 on 1 Jan 2027 in Jakarta
    expect(yearIn(newYearsEveUtc, 'Asia/Jakarta')).toBe(2027);
    expect(yearIn(newYearsEveUtc, 'UTC')).toBe(2026);
    expect(yearIn(new Date('2026-12-31T16:59:59.999Z'), 'Asia/Jakarta')).toBe(2026);
  });
});
