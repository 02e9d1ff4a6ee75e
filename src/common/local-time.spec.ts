import { localTimeText } from './local-time';

describe('R-T7 times people read', () => {
  it.each([
    ['2026-11-30T02:14:00Z', 'Asia/Jakarta', '30/11/2026 09:14 WIB'],
    ['2026-11-30T02:14:59.999Z', 'Asia/Jakarta', '30/11/2026 09:14 WIB'],
    ['2026-11-30T17:00:00Z', 'Asia/Jakarta', '01/12/2026 00:00 WIB'],
    ['2026-11-30T02:14:00Z', 'Asia/Makassar', '30/11/2026 10:14 WITA'],
    ['2026-12-31T15:30:00Z', 'Asia/Jayapura', '01/01/2027 00:30 WIT'],
    ['2026-11-30T02:14:00Z', 'Asia/Kolkata', '30/11/2026 07:44 UTC+05:30'],
    ['2026-11-30T02:14:00Z', 'UTC', '30/11/2026 02:14 UTC+00:00'],
    ['2026-07-01T12:00:00Z', 'America/New_York', '01/07/2026 08:00 UTC-04:00'],
    ['2026-01-01T12:00:00Z', 'America/New_York', '01/01/2026 07:00 UTC-05:00'],
    ['2026-11-30T02:14:00Z', 'Asia/Pontianak', '30/11/2026 09:14 UTC+07:00'],
  ])('%s in %s → %s', (at, zone, text) => {
    expect(localTimeText(new Date(at), zone)).toBe(text);
  });
});
