import { finishRefusal } from './escalation.rules';

describe('R-E2 only the current claimer finishes, within the lease', () => {
  const now = new Date('2026-11-23T01:00:00.000Z');
  const later = new Date(now.getTime() + 1);
  it.each([
    ['the claimer within the lease', { status: 'CLAIMED', claimedBy: 'a', leaseUntil: later }, 'a', null],
    ['another agent', { status: 'CLAIMED', claimedBy: 'a', leaseUntil: later }, 'b', 'NOT_THE_CLAIMER'],
    ['the claimer at the lease end', { status: 'CLAIMED', claimedBy: 'a', leaseUntil: now }, 'a', 'LEASE_EXPIRED'],
    ['an open item', { status: 'OPEN', claimedBy: null, leaseUntil: null }, 'a', 'NOT_CLAIMED'],
    ['a done item', { status: 'DONE', claimedBy: 'a', leaseUntil: later }, 'a', 'NOT_CLAIMED'],
  ] as const)('%s', (_, claim, sub, expected) => {
    expect(finishRefusal(claim, sub, now)).toBe(expected);
  });
});
