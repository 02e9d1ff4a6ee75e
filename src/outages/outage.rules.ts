import type { TicketStatus } from '../generated/prisma/enums';

// R-O1: an outage follows the Gangguan lifecycle from PENUGASAN (forward only, steps may be skipped),
// or becomes BATAL with a reason before SELESAI. SELESAI and BATAL are final.
export const OUTAGE_FLOW: TicketStatus[] = ['PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA', 'SELESAI'];
export const OUTAGE_STATUSES: TicketStatus[] = [...OUTAGE_FLOW, 'BATAL'];
const FINAL = new Set<TicketStatus>(['SELESAI', 'BATAL']);

/**
 * Reading: an outage is *open* (tickets may join it, R-O2; `?active=true`) until power is back, i.e.
 * before NYALA — the same line R-O5 draws ("not yet NYALA").
 */
export const ACTIVE_STATUSES: TicketStatus[] = ['PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA'];
export const isActive = (status: TicketStatus) => ACTIVE_STATUSES.includes(status);
export const isFinal = (status: TicketStatus) => FINAL.has(status);

export type OutageMoveCheck = { ok: true } | { ok: false; reason: string };

/** May the unit move its outage from `from` to `to`? (R-O1) */
export function checkOutageMove(from: TicketStatus, to: TicketStatus): OutageMoveCheck {
  if (isFinal(from)) return { ok: false, reason: `the outage is ${from}, a final status` };
  if (to === 'BATAL') return { ok: true };
  const toIndex = OUTAGE_FLOW.indexOf(to);
  if (toIndex < 0) return { ok: false, reason: `${to} is not a status of an outage (${OUTAGE_STATUSES.join(', ')})` };
  if (toIndex <= OUTAGE_FLOW.indexOf(from)) return { ok: false, reason: `moves are forward only: ${from} → ${to}` };
  return { ok: true };
}

const ZONE_NAMES: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

/** R-T7: a time as the unit reads it, e.g. `30/11/2026 09:14 WIB` (else the UTC offset, e.g. `UTC+08:00`). */
export function readableTime(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'longOffset' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const zone = ZONE_NAMES[timeZone] ?? (parts.timeZoneName === 'GMT' ? 'UTC+00:00' : parts.timeZoneName.replace('GMT', 'UTC'));
  return `${parts.day}/${parts.month}/${parts.year} ${parts.hour}:${parts.minute} ${zone}`;
}

/** The note of OUTAGE_ETR_CHANGED on each attached open ticket (R-O3). */
export function etrNote(title: string, etr: Date | null, timeZone: string): string {
  return `Padam meluas: ${title}. Perkiraan nyala: ${etr ? readableTime(etr, timeZone) : 'belum diketahui'}`;
}
