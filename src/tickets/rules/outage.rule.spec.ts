import { attachRefusal, statusesBehind, type AttachCandidate } from './outage.rule';

const outage = { id: 'o1', unitCode: '542' };
const ticket = (over: Partial<AttachCandidate> = {}): AttachCandidate => ({ unitCode: '542', kind: 'GANGGUAN', status: 'LAPOR', outageId: null, ...over });

describe('R-O2 attaching: which tickets are refused, and why', () => {
  it.each([
    ['an open Gangguan of the unit', ticket(), null],
    ['one further on but still open', ticket({ status: 'PENGERJAAN' }), null],
    ['an unknown number', undefined, 'NOT_FOUND'],
    ['a ticket of another unit', ticket({ unitCode: '545' }), 'OTHER_UNIT'],
    ['a Keluhan', ticket({ kind: 'KELUHAN' }), 'NOT_GANGGUAN'],
    ['a ticket already in this outage', ticket({ outageId: 'o1' }), 'ALREADY_ATTACHED'],
    ['a ticket of another outage', ticket({ outageId: 'o2' }), 'IN_ANOTHER_OUTAGE'],
    ['a NYALA ticket', ticket({ status: 'NYALA' }), 'NOT_OPEN'],
    ['a SELESAI ticket', ticket({ status: 'SELESAI' }), 'NOT_OPEN'],
    ['a BATAL ticket', ticket({ status: 'BATAL' }), 'NOT_OPEN'],
    ['an issue-closed ticket', ticket({ status: 'ISSUE_CLOSED' }), 'NOT_OPEN'],
  ])('%s → %s', (_, candidate, reason) => {
    expect(attachRefusal(candidate, outage)).toBe(reason);
  });
});

describe('R-O3 propagation: the statuses a move of the outage carries along', () => {
  it.each([
    ['PENUGASAN', ['LAPOR']],
    ['PENGERJAAN', ['LAPOR', 'PENUGASAN', 'PERJALANAN']],
    ['NYALA', ['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA']],
    ['SELESAI', ['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA']],
    ['BATAL', ['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA']],
  ] as const)('to %s', (to, behind) => {
    expect(statusesBehind(to)).toEqual(behind);
  });
});
