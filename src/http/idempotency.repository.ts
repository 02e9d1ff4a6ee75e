import type { Pool } from 'pg';
import { prepared } from '../database/prepared';
import type { Tx } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

// The idempotency_keys table (API.md "Idempotency-Key"); the rules of claiming and replaying are in
// idempotency.ts. The ticket create stores its key in its own statement (src/tickets/sql/insert-ticket.sql.ts)
// with the two pieces of SQL below, written here because the table is this module's.

/** A condition of a work statement: `key` was never seen (a new key; null: no key at all, always true). */
export const keyUnseen = (key: string | null): Prisma.Sql => Prisma.sql`NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE key = ${key}::text)`;

/**
 * A data-modifying CTE body of a work statement: stores `key` (when not null) with the answer built from
 * the column `column` of the CTE `source` (one row), as the answer replay renders with `view`. A key that
 * a concurrent request inserted first fails the whole statement on the primary key (isKeyTaken).
 */
export function storeAnswerFrom(source: string, column: string, key: string | null, fingerprint: string | null, now: Date, statusCode: number, contentType: string, view: string): Prisma.Sql {
  return Prisma.sql`INSERT INTO idempotency_keys (key, fingerprint, locked_until, created_at, status_code, response_body)
      SELECT ${key}::text, ${fingerprint}::text, ${now}::timestamptz, ${now}::timestamptz, ${Prisma.raw(String(statusCode))},
        json_build_object('contentType', ${contentType}::text, 'view', ${view}::text, 'data', ${Prisma.raw(column)})::text
      FROM ${Prisma.raw(source)} WHERE ${key}::text IS NOT NULL`;
}

/** The error of a work statement whose key a concurrent request stored first. */
export function isKeyTaken(error: unknown): boolean {
  const { code, constraint } = error as { code?: string; constraint?: string };
  return code === '23505' && constraint === 'idempotency_keys_pkey';
}

/** API.md: a key and its answer are kept 24 hours. */
export const RETENTION_MS = 24 * 60 * 60 * 1000;

/** Runs one of the statements below where the caller says: on the pool, or in the work's transaction. */
export type Run = (text: string, values: unknown[]) => Promise<unknown[]>;
export type KeyRow = { fingerprint: string; status_code: number | null; response_body: string | null };

// Claims the key: a new key; else takes over one whose answer is older than 24 h, or one left claimed by
// a request that died ($4 now, $5 the retention cut-off). Two statements, not one upsert: inside the
// work's transaction, ON CONFLICT DO UPDATE would lock the row even when its WHERE is false, and a request
// waiting there for another's answer would hold the lock that answer needs. DO NOTHING and an UPDATE whose
// WHERE is false lock nothing.
export const CLAIM_NEW = `INSERT INTO idempotency_keys (key, fingerprint, locked_until, created_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (key) DO NOTHING RETURNING key`;
export const TAKE_OVER = `UPDATE idempotency_keys SET fingerprint = $2, status_code = NULL, response_body = NULL, locked_until = $3, created_at = $4
  WHERE key = $1 AND (created_at <= $5 OR (status_code IS NULL AND locked_until <= $4))
  RETURNING key`;

// R-J6: keys past the 24 h of API.md, a batch at a time (SKIP LOCKED: replicas share the work, and a key
// being claimed again right now is left to its request). A claim still held by a live request is kept.
const PURGE = `DELETE FROM idempotency_keys WHERE key IN (
    SELECT key FROM idempotency_keys WHERE created_at <= $1 AND (status_code IS NOT NULL OR locked_until <= $2)
    ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)`;

/** R-J6: when the oldest key past its 24 hours became due for deletion, or null (the job-lag gauge). */
export async function oldestExpiredKeyDue(pool: Pool, now: Date): Promise<Date | null> {
  const { rows } = await pool.query<{ at: Date | null }>('SELECT min(created_at) AS at FROM idempotency_keys WHERE created_at <= $1', [new Date(now.getTime() - RETENTION_MS)]);
  return rows[0].at && new Date(rows[0].at.getTime() + RETENTION_MS);
}

/** R-J6: deletes up to `limit` keys older than 24 hours at `now`; returns how many. */
export async function purgeExpiredKeys(pool: Pool, now: Date, limit: number): Promise<number> {
  const { rowCount } = await pool.query(prepared(PURGE, [new Date(now.getTime() - RETENTION_MS), now, limit]));
  return rowCount ?? 0;
}

export const READ_KEY = 'SELECT fingerprint, status_code, response_body FROM idempotency_keys WHERE key = $1';
const STORE_ANSWER = 'UPDATE idempotency_keys SET status_code = $1, response_body = $2 WHERE key = $3';

export async function runOnPool(pool: Pool, text: string, values: unknown[]): Promise<unknown[]> {
  return (await pool.query(prepared(text, values))).rows;
}

/** A Run inside the work's interactive transaction. */
export const inTransaction =
  (tx: Tx): Run =>
  (text, values) =>
    tx.$queryRawUnsafe(text, ...values);

export async function storeAnswer(pool: Pool, key: string, status: number, body: string): Promise<void> {
  await pool.query(prepared(STORE_ANSWER, [status, body, key]));
}

export async function storeAnswerIn(tx: Tx, key: string, status: number, body: string): Promise<void> {
  await tx.$executeRawUnsafe(STORE_ANSWER, status, body, key);
}

/** Forgets a claimed key whose request failed, so that a retry does the work. */
export async function releaseKey(pool: Pool, key: string): Promise<void> {
  await pool.query(prepared('DELETE FROM idempotency_keys WHERE key = $1', [key]));
}

/**
 * R-P3: the stored answers of the last RETENTION_MS (older ones are purged) naming any of these tickets,
 * for an erasure to rewrite in its transaction: a replay must not give back what was erased.
 */
export async function storedAnswersNaming(tx: Tx, numbers: string[], now: Date): Promise<{ key: string; responseBody: string }[]> {
  if (!numbers.length) return [];
  return tx.$queryRaw<{ key: string; responseBody: string }[]>`
    SELECT key, response_body AS "responseBody" FROM idempotency_keys
    WHERE created_at > ${new Date(now.getTime() - RETENTION_MS)}::timestamptz AND response_body IS NOT NULL
      AND response_body LIKE ANY (SELECT '%' || n || '%' FROM unnest(${numbers}::text[]) AS n)
    FOR UPDATE`;
}

export async function rewriteStoredAnswer(tx: Tx, key: string, responseBody: string): Promise<void> {
  await tx.$executeRaw`UPDATE idempotency_keys SET response_body = ${responseBody} WHERE key = ${key}`;
}
