// R-T7: times written into notes, WO texts and escalation notes read as the unit's agents read them,
// `30/11/2026 09:14 WIB`. API fields stay ISO 8601 UTC. The SQL function local_time_text (migration
// 20261130010000_local_time) writes the same text in the jobs' set-based statements; a test compares them.
export const DEFAULT_TIME_ZONE = 'Asia/Jakarta'; // a unit's default (API.md units)

const ZONE_NAMES: Record<string, string> = { 'Asia/Jakarta': 'WIB', 'Asia/Makassar': 'WITA', 'Asia/Jayapura': 'WIT' };

const two = (n: number) => String(n).padStart(2, '0');

/** Minutes east of UTC of `timeZone` at `at`. */
function offsetMinutes(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
  }).formatToParts(at);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  const local = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((local - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** `at` in `timeZone` as `DD/MM/YYYY HH:MM` and the zone's Indonesian name, else `UTC+hh:mm`. */
export function localTimeText(at: Date, timeZone: string): string {
  const offset = offsetMinutes(at, timeZone);
  const local = new Date(at.getTime() + offset * 60_000);
  const text = `${two(local.getUTCDate())}/${two(local.getUTCMonth() + 1)}/${local.getUTCFullYear()} ${two(local.getUTCHours())}:${two(local.getUTCMinutes())}`;
  const abs = Math.abs(offset);
  const zone = ZONE_NAMES[timeZone] ?? `UTC${offset < 0 ? '-' : '+'}${two(Math.floor(abs / 60))}:${two(abs % 60)}`;
  return `${text} ${zone}`;
}
