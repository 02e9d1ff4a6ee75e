import { invalidInput } from '../common/domain.exception';

// Opaque keyset cursors: the sort key of the last item of a page, base64url-encoded JSON. Keyset (not
// offset) paging stays stable when rows are inserted while a client pages.
export function encodeCursor(key: readonly (string | number)[]): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): (string | number)[] | undefined {
  if (cursor === undefined) return undefined;
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(key) && key.length === arity && key.every((k) => typeof k === 'string' || typeof k === 'number')) return key;
  } catch {
    // fall through to the 400 below
  }
  throw invalidInput('cursor', 'not a cursor this service issued');
}

/** `limit` of API.md: 1–200, default 50; anything else is 400. */
export function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return 50;
  if (!/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 200) throw invalidInput('limit', 'limit is an integer from 1 to 200');
  return Number(raw);
}
