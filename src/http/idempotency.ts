import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyToken } from '../auth/jwt';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import type { Pool } from 'pg';
import { prepared } from '../database/prepared';
import { Problem, ProblemCode } from './problem';
import { sendProblem } from './problem.filter';

// Idempotency-Key on every POST (API.md), kept in the database so that it holds across replicas and
// restarts. The key is claimed by an insert before the handler runs: of two requests with the same key
// at the same instant one claims it, the other waits for its answer and replays it. Keys are scoped to
// the caller's `sub`, so one client can never replay another's answer.
const RETENTION_MS = 24 * 60 * 60 * 1000;
const CLAIM_MS = 60 * 1000; // a claim left by a crashed request is taken over after this
const WAIT_MS = 30 * 1000;
const POLL_MS = 25;

interface Claim {
  key: string;
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

const claims = new WeakMap<FastifyRequest, Claim>();

// Claims the key: a new key, or one whose answer is older than 24 h, or one left claimed by a request
// that died ($5 is the retention cut-off, $4 now).
export const CLAIM = `INSERT INTO idempotency_keys (key, fingerprint, locked_until, created_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, response_body = NULL,
    locked_until = EXCLUDED.locked_until, created_at = EXCLUDED.created_at
  WHERE idempotency_keys.created_at <= $5 OR (idempotency_keys.status_code IS NULL AND idempotency_keys.locked_until <= $4)
  RETURNING key`;

// The statements run straight on the pool under Prisma, prepared: they are on every POST's path.
export function registerIdempotency(fastify: FastifyInstance, pool: Pool, clock: Clock, secret: string): void {
  fastify.addHook('preHandler', async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['idempotency-key'];
    if (request.method !== 'POST' || typeof header !== 'string' || header === '') return;
    const token = /^Bearer (\S+)$/.exec(request.headers.authorization ?? '')?.[1];
    const caller = token ? await verifyToken(token, secret).catch(() => undefined) : undefined;
    if (!caller) return; // the auth guard answers 401
    (request as FastifyRequest & { caller?: Caller }).caller = caller; // verified once: the guard reuses it
    if (header.length > 255) return sendProblem(new Problem(ProblemCode.VALIDATION, 'Idempotency-Key is longer than 255 characters', [{ field: 'Idempotency-Key', message: 'at most 255 characters' }]), request, reply);
    const key = `${caller.sub.length}:${caller.sub}:${header}`; // length-prefixed: no two (sub, key) pairs collide
    const fingerprint = createHash('sha256').update(`${request.method} ${request.url}\n${canonical(request.body ?? null)}`).digest('hex');
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const now = clock.now();
      const { rows: claimed } = await pool.query<{ key: string }>(prepared(CLAIM, [key, fingerprint, new Date(now.getTime() + CLAIM_MS), now, new Date(now.getTime() - RETENTION_MS)]));
      if (claimed.length) {
        claims.set(request, { key });
        return;
      }
      const {
        rows: [existing],
      } = await pool.query<{ fingerprint: string; status_code: number | null; response_body: string | null }>(
        prepared('SELECT fingerprint, status_code, response_body FROM idempotency_keys WHERE key = $1', [key]),
      );
      if (!existing) continue; // released by a failed first attempt: claim it now
      if (existing.fingerprint !== fingerprint) {
        return sendProblem(new Problem(ProblemCode.IDEMPOTENCY_MISMATCH, 'This Idempotency-Key was used with a different request body'), request, reply);
      }
      if (existing.status_code !== null) {
        const stored = JSON.parse(existing.response_body ?? '{}') as { contentType: string; payload: string };
        return reply.status(existing.status_code).header('content-type', stored.contentType).header('idempotent-replayed', 'true').send(stored.payload);
      }
      if (Date.now() > deadline) return sendProblem(new Problem(ProblemCode.IDEMPOTENCY_IN_PROGRESS, 'The first request with this key has not finished yet'), request, reply);
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  });

  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const claim = claims.get(request);
    if (!claim) return payload;
    claims.delete(request);
    if (reply.statusCode >= 500 || (typeof payload !== 'string' && payload !== null && payload !== undefined)) {
      await pool.query(prepared('DELETE FROM idempotency_keys WHERE key = $1', [claim.key]));
      return payload;
    }
    const stored = JSON.stringify({ contentType: String(reply.getHeader('content-type') ?? 'application/json'), payload: payload ?? '' });
    await pool.query(prepared('UPDATE idempotency_keys SET status_code = $1, response_body = $2 WHERE key = $3', [reply.statusCode, stored, claim.key]));
    return payload;
  });
}
