import { eventTimeAfter } from './time-bounds.rule';

// API.md: "an occurredAt never before the occurredAt of the ticket's latest event".
describe('eventTimeAfter: the time of an event the service records on an existing ticket', () => {
  const at = (minute: number) => new Date(Date.UTC(2026, 10, 23, 1, minute));
  it('takes the report time when it is after the latest event', () => {
    expect(eventTimeAfter(at(10), at(20), at(30))).toEqual(at(20));
  });
  it('takes now when the report is older than the latest event', () => {
    expect(eventTimeAfter(at(10), at(5), at(30))).toEqual(at(30));
  });
  it('never goes before a latest event dated ahead of now (up to 2 minutes is allowed)', () => {
    expect(eventTimeAfter(at(31), at(5), at(30))).toEqual(at(31));
  });
});
