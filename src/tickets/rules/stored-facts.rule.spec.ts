import type { TicketStatus } from '../../generated/prisma/enums';
import { type FactsBefore, factsOfMove } from './stored-facts.rule';

const deadline = new Date('2026-11-23T04:00:00Z');
const at = (iso: string) => new Date(iso);
const before = (status: TicketStatus, over: Partial<FactsBefore> = {}): FactsBefore => ({
  status, slaDeadline: deadline, respondedAt: null, nyalaAt: null, slaBreachedAt: null, ...over,
});

describe('R-M1 stored facts of a status move', () => {
  it.each<[string, FactsBefore, TicketStatus | undefined, string, object]>([
    ['first move out of LAPOR sets respondedAt', before('LAPOR'), 'PENUGASAN', '2026-11-23T02:00:00Z', { respondedAt: at('2026-11-23T02:00:00Z') }],
    ['a skip straight to NYALA sets respondedAt and nyalaAt', before('LAPOR'), 'NYALA', '2026-11-23T02:00:00Z', { respondedAt: at('2026-11-23T02:00:00Z'), nyalaAt: at('2026-11-23T02:00:00Z') }],
    ['BATAL from LAPOR (R-J2, R-I2 too) leaves LAPOR', before('LAPOR'), 'BATAL', '2026-11-23T02:00:00Z', { respondedAt: at('2026-11-23T02:00:00Z') }],
    ['a later move keeps respondedAt', before('PENUGASAN', { respondedAt: at('2026-11-23T01:30:00Z') }), 'PENGERJAAN', '2026-11-23T02:00:00Z', {}],
    ['NYALA_SEMENTARA sets nyalaAt', before('PENGERJAAN'), 'NYALA_SEMENTARA', '2026-11-23T03:00:00Z', { nyalaAt: at('2026-11-23T03:00:00Z') }],
    ['NYALA after NYALA_SEMENTARA keeps the first', before('NYALA_SEMENTARA', { nyalaAt: at('2026-11-23T03:00:00Z') }), 'NYALA', '2026-11-23T03:30:00Z', {}],
    ['leaving open before the deadline: no breach', before('PENGERJAAN'), 'SELESAI', '2026-11-23T03:59:59.999Z', {}],
    ['leaving open at the deadline: breached (R-S2)', before('PENGERJAAN'), 'SELESAI', '2026-11-23T04:00:00Z', { slaBreachedAt: deadline }],
    ['leaving open after the deadline: breached', before('DIPROSES'), 'SELESAI', '2026-11-23T05:00:00Z', { slaBreachedAt: deadline }],
    ['already breached (R-J3) stays as it was', before('PENGERJAAN', { slaBreachedAt: deadline }), 'NYALA', '2026-11-23T05:00:00Z', { nyalaAt: at('2026-11-23T05:00:00Z') }],
    ['a move among open statuses after the deadline is R-J3\'s to mark', before('PENUGASAN', { respondedAt: deadline }), 'PERJALANAN', '2026-11-23T05:00:00Z', {}],
    ['SELESAI → DITUTUP after the deadline: not open before', before('SELESAI'), 'DITUTUP', '2026-11-23T05:00:00Z', {}],
    ['no status move', before('LAPOR'), undefined, '2026-11-23T05:00:00Z', {}],
  ])('%s', (_, facts, to, occurredAt, expected) => {
    expect(factsOfMove(facts, to, at(occurredAt))).toEqual(expected);
  });
});
