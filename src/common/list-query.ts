import { decodeCursor, encodeCursor } from './cursor';
import { invalidInput } from '../common/domain.exception';

// The query parameters every list of API.md shares, parsed the same way everywhere.
export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const TICKET_NUMBER = /^[GK]\d{13}$/;

/** `?status=A,B` (or the parameter repeated): every value must be one the contract names, else 400. */
export function parseEnumList<T extends string>(field: string, raw: string | string[] | undefined, allowed: readonly T[]): T[] | undefined {
  if (raw === undefined) return undefined;
  const values = [raw].flat().flatMap((v) => v.split(',')).map((v) => v.trim());
  const unknown = values.find((v) => !allowed.includes(v as T));
  if (unknown !== undefined) throw invalidInput(field, `"${unknown}" is not one of ${allowed.join(', ')}`);
  return values as T[];
}

const ISSUED_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

export interface TimeKey {
  at: Date;
  key: string;
}

/** A keyset cursor of (time, key) — the sort order of every list — checked to be one this service issued. */
export function parseTimeKeyCursor(cursor: string | undefined, keyPattern: RegExp): TimeKey | undefined {
  const decoded = decodeCursor(cursor, 2);
  if (!decoded) return undefined;
  const [at, key] = decoded;
  const time = typeof at === 'string' ? new Date(at) : new Date(NaN);
  // An issued cursor holds a stored time exactly as toISOString() wrote it (4-digit year): anything else,
  // e.g. a year PostgreSQL cannot represent, is forged (a 500 from the query otherwise).
  if (Number.isNaN(time.getTime()) || !ISSUED_TIME.test(String(at)) || time.toISOString() !== at) throw invalidInput('cursor', 'not a cursor this service issued');
  if (typeof key !== 'string' || !keyPattern.test(key)) throw invalidInput('cursor', 'not a cursor this service issued');
  return { at: time, key };
}

export const timeKeyCursor = (at: Date, key: string): string => encodeCursor([at.toISOString(), key]);

/** One page of a list fetched with `limit + 1` rows: the views of the first `limit`, and a cursor when more follow. */
export function toPage<R, V>(rows: R[], limit: number, view: (row: R) => V, cursorOf: (last: R) => string): { items: V[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  return { items: page.map((row) => view(row)), nextCursor: rows.length > limit ? cursorOf(page[page.length - 1]) : null };
}
