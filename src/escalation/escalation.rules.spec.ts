import { finishRefusal, needsTicket } from './escalation.rules';

describe('R-E1 Categories', () => {
  it.each([
    ['LAPOR_ULANG', true],
    ['LAPORAN_MELEBIHI_SLA', true],
    ['URGENT', true],
    ['CALLBACK_PELANGGAN', true],
    ['REQUEST_CALLBACK', false],
  ] as const)('%s needs a ticket: %s', (category, expected) => {
    expect(needsTicket(category)).toBe(expected);
  });
});

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
