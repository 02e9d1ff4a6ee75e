// Dates and numbers as Indonesians read them (Intl 'id-ID'), times in the unit's own zone (API.md: a
// unit's `timeZone`, IANA, default Asia/Jakarta) with the zone named: WIB, WITA or WIT.

export const DEFAULT_ZONE = 'Asia/Jakarta';

const ZONE_NAMES: Record<string, string> = {
  'Asia/Jakarta': 'WIB',
  'Asia/Pontianak': 'WIB',
  'Asia/Makassar': 'WITA',
  'Asia/Jayapura': 'WIT',
};

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(key: string, make: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let f = formatters.get(key);
  if (!f) formatters.set(key, (f = make()));
  return f;
}

/** WIB / WITA / WIT, else the zone's offset (e.g. UTC+08.00) for a zone outside Indonesia. */
export function zoneName(timeZone: string): string {
  const known = ZONE_NAMES[timeZone];
  if (known) return known;
  const offset = formatter(`off ${timeZone}`, () => new Intl.DateTimeFormat('id-ID', { timeZone, timeZoneName: 'longOffset' }))
    .formatToParts(new Date())
    .find((p) => p.type === 'timeZoneName')?.value;
  return offset?.replace('GMT', 'UTC') || timeZone;
}

/** e.g. `4 Des 2026 09.14 WITA`; null → —. */
export function formatDateTime(iso: string | null | undefined, timeZone = DEFAULT_ZONE): string {
  if (!iso) return '—';
  const f = formatter(`dt ${timeZone}`, () => new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }));
  return `${f.format(new Date(iso))} ${zoneName(timeZone)}`;
}

/** A calendar date `YYYY-MM-DD` (a report's day, already in the unit's zone) as `4 Des 2026`. */
export function formatDate(day: string, style: 'short' | 'medium' = 'medium'): string {
  const [y, m, d] = day.split('-').map(Number);
  const f = formatter(`d ${style}`, () =>
    new Intl.DateTimeFormat('id-ID', style === 'short' ? { day: 'numeric', month: 'short', timeZone: 'UTC' } : { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }),
  );
  return f.format(new Date(Date.UTC(y, m - 1, d)));
}

/** 1.234,5 — null → —. */
export function formatNumber(n: number | null | undefined, digits = 0): string {
  if (n === null || n === undefined) return '—';
  return n.toLocaleString('id-ID', { maximumFractionDigits: digits });
}

/** `12,5 %` — null → —. */
export const formatPercent = (n: number | null | undefined, digits = 1) => (n === null || n === undefined ? '—' : `${formatNumber(n, digits)} %`);

/** The wall-clock fields of `at` in `timeZone`. */
function wallClock(at: number, timeZone: string) {
  const parts = formatter(`wall ${timeZone}`, () =>
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }),
  ).formatToParts(new Date(at));
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { y: get('year'), mo: get('month'), d: get('day'), h: get('hour'), mi: get('minute'), s: get('second') };
}

const offsetAt = (at: number, timeZone: string) => {
  const w = wallClock(at, timeZone);
  return Date.UTC(w.y, w.mo - 1, w.d, w.h, w.mi, w.s) - Math.floor(at / 1000) * 1000;
};

/**
 * A `datetime-local` value read as a wall clock in the unit's zone (not the browser's) → ISO; '' → null.
 * Two passes of the zone's offset, so a zone that changes its offset is right as well.
 */
export function zonedInputToIso(local: string, timeZone: string): string | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(local);
  if (!m) return null;
  const asUtc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5]));
  let at = asUtc - offsetAt(asUtc, timeZone);
  at = asUtc - offsetAt(at, timeZone);
  return new Date(at).toISOString();
}

/** An instant as a `datetime-local` value on the unit's wall clock; null → ''. */
export function isoToZonedInput(iso: string | null | undefined, timeZone: string): string {
  if (!iso) return '';
  const w = wallClock(Date.parse(iso), timeZone);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${w.y}-${two(w.mo)}-${two(w.d)}T${two(w.h)}:${two(w.mi)}`;
}

/** A ticket number (API.md): G or K and 13 digits; the `pattern` of the inputs that take one. */
export const TICKET_NUMBER_PATTERN = '[GK]\\d{13}';
const TICKET_NUMBER = new RegExp(`^${TICKET_NUMBER_PATTERN}$`);
export const isTicketNumber = (text: string): boolean => TICKET_NUMBER.test(text);
