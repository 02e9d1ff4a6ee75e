import { callbackAtError, eventTimeAfter, visitDateError } from './time-bounds.rule';

// API.md: "an occurredAt never before the occurredAt of the ticket's latest event".
describe('eventTimeAfter: the time of an event the service records on an existing ticket', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 1, minute));
  it('takes the report time when it is after the latest event', () => {
    expect(eventTimeAfter(at(10), at(20), at(30))).toEqual(at(20));
  });
  it('takes the report time when it is the latest event\'s (a backdated Lapor Ulang escalates its new ticket at its report time)', () => {
    expect(eventTimeAfter(at(10), at(10), at(30))).toEqual(at(10));
  });
  it('takes now when the report is older than the latest event', () => {
    expect(eventTimeAfter(at(10), at(5), at(30))).toEqual(at(30));
  });
  it('never goes before a latest event dated ahead of now (up to 2 minutes is allowed)', () => {
    expect(eventTimeAfter(at(31), at(5), at(30))).toEqual(at(31));
  });
});

// Issue 14 point 11: callbackAt and visit dates against the present.
describe('callbackAt and visit dates are checked against the present', () => {
  const now = new Date('2026-11-23T01:00:00Z');
  it.each<[string, boolean]>([
    ['2026-11-16T01:00:00Z', true],
    ['2026-11-16T00:59:59Z', false],
    ['2023-11-23T01:00:00Z', false],
    ['2026-11-23T08:00:00Z', true],
    ['2027-02-21T01:00:00Z', true],
    ['2027-02-21T01:00:01Z', false],
    ['2099-01-01T00:00:00Z', false],
  ])('callbackAt %s allowed: %s', (at, ok) => {
    expect(callbackAtError(new Date(at), now) === null).toBe(ok);
  });
  it.each<[string, boolean]>([
    ['2026-11-21', false],
    ['2026-11-22', true],
    ['2026-11-23', true],
    ['2027-02-21', true],
    ['2027-02-22', true],
    ['2027-02-23', false],
    ['2099-01-01', false],
  ])('visit date %s allowed: %s', (date, ok) => {
    expect(visitDateError(date, now) === null).toBe(ok);
  });
});
