import { invalidInput } from '../common/domain.exception';
import { decodeCursor, encodeCursor, parseLimit } from '../common/cursor';
import { isSearchablePhone, phoneKey } from '../common/phone';
import { isOffsetDateTime } from '../common/validators';

/** Who a personal-data request is about: one customer, by ID Pel or by phone (any written form). */
export type CustomerIdentifier = { idPel: string } | { phoneKey: string; phone: string };

/** Exactly one of `idPel`, `phone` (API.md), each well formed; else 400 naming the field. */
export function parseCustomer(input: { idPel?: unknown; phone?: unknown }): CustomerIdentifier {
  const given = (['idPel', 'phone'] as const).filter((k) => input[k] !== undefined);
  if (given.length !== 1) throw invalidInput(given[1] ?? 'idPel', 'exactly one of idPel and phone is required');
  if (given[0] === 'idPel') {
    if (typeof input.idPel !== 'string' || !/^\d{12}$/.test(input.idPel)) throw invalidInput('idPel', 'idPel is 12 digits');
    return { idPel: input.idPel };
  }
  if (typeof input.phone !== 'string' || !isSearchablePhone(input.phone)) throw invalidInput('phone', 'phone is 8–15 digits, optionally with +, spaces, dashes, dots or brackets');
  return { phoneKey: phoneKey(input.phone), phone: input.phone };
}

export interface AccessLogQuery {
  who: CustomerIdentifier | { sub: string };
  from: Date | null;
  to: Date | null;
  before: { at: Date; id: string } | null;
  limit: number;
}

// R-P1's from/to as the document states them (date-time): an ISO 8601 time with an offset whose date
// exists (API.md: a date that does not exist → 400 naming the field; `new Date` rolls 30 February over)
const time = (field: string, raw: unknown): Date | null => {
  if (raw === undefined) return null;
  if (!isOffsetDateTime(raw)) throw invalidInput(field, `${field} must be an ISO 8601 time with an offset that exists, e.g. 2026-11-23T08:00:00+07:00`);
  return new Date(raw as string);
};

/** R-P1's query: exactly one of idPel, phone, sub; from (inclusive), to (exclusive), limit, cursor. */
export function parseAccessLogQuery(q: Record<string, unknown>): AccessLogQuery {
  const given = (['idPel', 'phone', 'sub'] as const).filter((k) => q[k] !== undefined);
  if (given.length !== 1) throw invalidInput(given[1] ?? 'idPel', 'exactly one of idPel, phone and sub is required');
  let who: AccessLogQuery['who'];
  if (given[0] === 'sub') {
    if (typeof q.sub !== 'string' || !q.sub.length || q.sub.length > 255) throw invalidInput('sub', 'sub is 1–255 characters');
    who = { sub: q.sub };
  } else {
    who = parseCustomer({ [given[0]]: q[given[0]] });
  }
  const cursor = decodeCursor(q.cursor as string | undefined, 2);
  const before = cursor ? { at: new Date(String(cursor[0])), id: String(cursor[1]) } : null;
  if (before && (Number.isNaN(before.at.getTime()) || !/^\d+$/.test(before.id))) throw invalidInput('cursor', 'not a cursor this service issued');
  return { who, from: time('from', q.from), to: time('to', q.to), before, limit: parseLimit(q.limit as string | undefined) };
}

export const accessCursor = (last: { at: Date; id: string }) => encodeCursor([last.at.toISOString(), last.id]);
