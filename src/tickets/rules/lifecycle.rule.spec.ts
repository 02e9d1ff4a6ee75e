import { TicketKind, TicketStatus } from '../../generated/prisma/enums';
import { checkUnitMove, isOpen, isReservedCancelReason } from './lifecycle.rule';

describe('R-T4 Statuses', () => {
  const allowed: [TicketKind, TicketStatus, TicketStatus][] = [
    ['GANGGUAN', 'LAPOR', 'PENUGASAN'],
    ['GANGGUAN', 'LAPOR', 'SELESAI'],
    ['GANGGUAN', 'PENUGASAN', 'PERJALANAN'],
    ['GANGGUAN', 'PERJALANAN', 'PENGERJAAN'],
    ['GANGGUAN', 'PENGERJAAN', 'NYALA_SEMENTARA'],
    ['GANGGUAN', 'NYALA_SEMENTARA', 'NYALA'],
    ['GANGGUAN', 'NYALA', 'SELESAI'],
    ['GANGGUAN', 'LAPOR', 'BATAL'],
    ['GANGGUAN', 'NYALA', 'BATAL'],
    ['KELUHAN', 'LAPOR', 'DIPROSES'],
    ['KELUHAN', 'DIPROSES', 'SELESAI'],
    ['KELUHAN', 'LAPOR', 'SELESAI'],
    ['KELUHAN', 'DIPROSES', 'BATAL'],
  ];
  it.each(allowed)('%s %s → %s is allowed (forward, skips allowed)', (kind, from, to) => {
    expect(checkUnitMove(kind, from, to)).toEqual({ ok: true });
  });

  const refused: [TicketKind, TicketStatus, TicketStatus, RegExp][] = [
    ['GANGGUAN', 'PENUGASAN', 'LAPOR', /forward only/],
    ['GANGGUAN', 'PENUGASAN', 'PENUGASAN', /forward only/],
    ['GANGGUAN', 'SELESAI', 'NYALA', /forward only/],
    ['GANGGUAN', 'LAPOR', 'DIPROSES', /not a status of a GANGGUAN/],
    ['KELUHAN', 'LAPOR', 'NYALA', /not a status of a KELUHAN/],
    ['GANGGUAN', 'SELESAI', 'BATAL', /before SELESAI/],
    ['KELUHAN', 'SELESAI', 'BATAL', /before SELESAI/],
    ['GANGGUAN', 'SELESAI', 'DITUTUP', /DITUTUP is reached only/],
    ['GANGGUAN', 'LAPOR', 'ISSUE_CLOSED', /only at creation/],
    ['GANGGUAN', 'DITUTUP', 'SELESAI', /terminal/],
    ['KELUHAN', 'BATAL', 'DIPROSES', /terminal/],
    ['KELUHAN', 'ISSUE_CLOSED', 'BATAL', /terminal/],
  ];
  it.each(refused)('%s %s → %s is refused', (kind, from, to, reason) => {
    const check = checkUnitMove(kind, from, to);
    expect(check.ok).toBe(false);
    expect(!check.ok && check.reason).toMatch(reason);
  });

  it.each([
    ['LAPOR', true],
    ['PENUGASAN', true],
    ['PERJALANAN', true],
    ['PENGERJAAN', true],
    ['DIPROSES', true],
    ['NYALA_SEMENTARA', false],
    ['NYALA', false],
    ['SELESAI', false],
    ['DITUTUP', false],
    ['BATAL', false],
    ['ISSUE_CLOSED', false],
  ] as [TicketStatus, boolean][])('open(%s) = %s', (status, open) => {
    expect(isOpen(status)).toBe(open);
  });
});

describe('R-I7 reserved cancel reasons', () => {
  it.each([
    ['DITERUSKAN_KE_LISTRIQU', true],
    [' auto_transfer ', true],
    ['AUTO_TRANSFER', true],
    ['Pelanggan membatalkan', false],
    ['diteruskan ke listriqu', false],
    [undefined, false],
  ])('%s reserved: %s', (reason, reserved) => {
    expect(isReservedCancelReason(reason)).toBe(reserved);
  });
});
