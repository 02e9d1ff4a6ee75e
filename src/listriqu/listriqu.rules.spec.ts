import { correctionRefusal, dayIn, isCovered, orderMoveRefusal } from './listriqu.rules';

describe('R-I1 coverage', () => {
  it.each([
    ['before the start date', '2021-07-07', '2021-07-06', false],
    ['on the start date', '2021-07-07', '2021-07-07', true],
    ['after the start date', '2021-04-05', '2026-11-23', true],
    ['a province with no start date', null, '2026-11-23', false],
  ] as const)('%s', (_, start, day, expected) => {
    expect(isCovered(start, day)).toBe(expected);
  });

  it('takes the day in the unit time zone', () => {
    const at = new Date('2021-07-06T17:30:00Z'); // 00:30 WIB on 7 July
    expect(dayIn(at, 'Asia/Jakarta')).toBe('2021-07-07');
    expect(dayIn(at, 'UTC')).toBe('2021-07-06');
  });
});

describe('R-I5 order status, forward only', () => {
  it.each([
    ['REQUEST', 'ORDER', true],
    ['REQUEST', 'PENUGASAN', true],
    ['REQUEST', 'SELESAI', true],
    ['ORDER', 'PENUGASAN', true],
    ['PENUGASAN', 'SELESAI', true],
    ['ORDER', 'ORDER', false],
    ['PENUGASAN', 'ORDER', false],
    ['SELESAI', 'PENUGASAN', false],
    ['REQUEST', 'BATAL', false],
    ['BATAL', 'ORDER', false],
    ['BATAL', 'SELESAI', false],
  ] as const)('%s → %s allowed: %s', (from, to, allowed) => {
    expect(orderMoveRefusal(from, to) === null).toBe(allowed);
  });
});

describe('R-I3 corrections only while REQUEST or ORDER', () => {
  it.each([
    ['REQUEST', true],
    ['ORDER', true],
    ['PENUGASAN', false],
    ['SELESAI', false],
    ['BATAL', false],
  ] as const)('%s allowed: %s', (status, allowed) => {
    expect(correctionRefusal(status) === null).toBe(allowed);
  });

  it('directs the customer to CC ListriQu from PENUGASAN on', () => {
    expect(correctionRefusal('PENUGASAN')).toMatch(/CC ListriQu 150-456/);
    expect(correctionRefusal('SELESAI')).toMatch(/CC ListriQu 150-456/);
  });
});
