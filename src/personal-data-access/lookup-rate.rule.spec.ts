import { LIMITED_ROLES, namesCustomer, retryAfterSeconds } from './lookup-rate.rule';

describe('R-P5 lookups per person within any minute', () => {
  it.each([
    [60_000, 60],
    [59_001, 60],
    [1, 1],
    [999, 1],
    [1_001, 2],
  ])('a wait of %i ms is a Retry-After of %i s (whole seconds, at least 1)', (wait, retry) => {
    expect(retryAfterSeconds(wait)).toBe(retry);
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
