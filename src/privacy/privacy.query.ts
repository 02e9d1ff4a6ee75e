import { invalidInput } from '../common/domain.exception';
import { decodeCursor, encodeCursor, parseLimit } from '../common/cursor';
import { isSearchablePhone, phoneKey } from '../common/phone';

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

const time = (field: string, raw: unknown): Date | null => {
  if (raw === undefined) return null;
  const at = typeof raw === 'string' ? new Date(raw) : new Date(NaN);
  if (typeof raw !== 'string' || !/^\d{4}-\d{2}-\d{2}(T.*)?$/.test(raw) || Number.isNaN(at.getTime())) throw invalidInput(field, `${field} is an ISO 8601 time`);
  return at;
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
