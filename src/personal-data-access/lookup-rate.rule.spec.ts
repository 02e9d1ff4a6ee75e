import { allowed, LIMITED_ROLES, namesCustomer, retryAfterSeconds, windowOf } from './lookup-rate.rule';

describe('R-P5 lookups per person per minute', () => {
  it.each([
    ['2026-11-23T01:00:00.000Z', '2026-11-23T01:00:00.000Z', 60],
    ['2026-11-23T01:00:59.001Z', '2026-11-23T01:00:00.000Z', 1],
    ['2026-11-23T01:00:30.500Z', '2026-11-23T01:00:00.000Z', 30],
  ])('at %s the window starts %s and Retry-After is %i s', (now, start, retry) => {
    expect(windowOf(new Date(now)).toISOString()).toBe(start);
    expect(retryAfterSeconds(new Date(now))).toBe(retry);
  });

  it.each([
    [1, 60, true],
    [60, 60, true],
    [61, 60, false],
  ])('lookup %i of a minute with a limit of %i is allowed: %s', (count, limit, ok) => {
    expect(allowed(count, limit)).toBe(ok);
  });

  it.each([
    [{ idPel: '512345678901' }, true],
    [{ phone: '0812' }, true],
    [{ meterNumber: '14012345678' }, true],
    [{ unitCode: '542', open: 'true' }, false],
    [{}, false],
  ])('a query %j names a customer: %s', (query, expected) => {
    expect(namesCustomer(query)).toBe(expected);
  });

  it('limits people, not the integrations', () => {
    expect([...LIMITED_ROLES].sort()).toEqual(['admin', 'backoffice', 'cso', 'unit']);
  });
});
