import { randomUUID } from 'node:crypto';

// X-Request-Id (API.md): the client's, when it is up to 128 visible characters, else a new one.
const VISIBLE_ID = /^[\x21-\x7e]{1,128}$/;

export function requestIdFrom(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return value !== undefined && VISIBLE_ID.test(value) ? value : randomUUID();
}
