import { checkOutageMove, etrNote, isActive, readableTime } from './outage.rules';

describe('R-O1 outage lifecycle', () => {
  it.each([
    ['PENUGASAN', 'PERJALANAN', true],
    ['PENUGASAN', 'NYALA', true],
    ['PENGERJAAN', 'NYALA_SEMENTARA', true],
    ['NYALA', 'SELESAI', true],
    ['NYALA', 'BATAL', true],
    ['PENGERJAAN', 'PERJALANAN', false],
    ['PENUGASAN', 'PENUGASAN', false],
    ['PENUGASAN', 'LAPOR', false],
    ['PENUGASAN', 'DITUTUP', false],
    ['PENUGASAN', 'DIPROSES', false],
    ['SELESAI', 'BATAL', false],
    ['BATAL', 'NYALA', false],
  ] as const)('%s → %s: %s', (from, to, ok) => {
    expect(checkOutageMove(from, to).ok).toBe(ok);
  });

  it.each([
    ['PENUGASAN', true],
    ['NYALA_SEMENTARA', true],
    ['NYALA', false],
    ['SELESAI', false],
    ['BATAL', false],
  ] as const)('open (tickets may join) at %s: %s', (status, active) => {
    expect(isActive(status)).toBe(active);
  });
});

describe('R-T7 times in notes', () => {
  it.each([
    ['Asia/Jakarta', '30/11/2026 09:14 WIB'],
    ['Asia/Makassar', '30/11/2026 10:14 WITA'],
    ['Asia/Jayapura', '30/11/2026 11:14 WIT'],
    ['Asia/Singapore', '30/11/2026 10:14 UTC+08:00'],
    ['UTC', '30/11/2026 02:14 UTC+00:00'],
  ])('%s', (zone, text) => {
    expect(readableTime(new Date('2026-11-30T02:14:00Z'), zone)).toBe(text);
  });

  it('the etr note names the outage and the time', () => {
    expect(etrNote('Penyulang X', new Date('2026-11-30T02:14:00Z'), 'Asia/Jakarta')).toBe('Padam meluas: Penyulang X. Perkiraan nyala: 30/11/2026 09:14 WIB');
    expect(etrNote('Penyulang X', null, 'Asia/Jakarta')).toBe('Padam meluas: Penyulang X. Perkiraan nyala: belum diketahui');
  });
});
