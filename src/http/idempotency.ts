import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { verifyToken } from '../auth/jwt';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { prepared } from '../database/prepared';
import { Problem, ProblemCode } from './problem';
import { sendProblem } from './problem.filter';
import { IdempotentReplay, replayed, type StoredAnswer } from './replay';

// Idempotency-Key on every POST (API.md), kept in the database so that it holds across replicas and
// restarts. Keys are scoped to the caller's `sub`, so one client can never replay another's answer.
//
// Two ways to hold a key:
// - Most routes claim it with an insert before the handler runs; of two requests with the same key at
//   the same instant one claims it, the other waits for its answer and replays it. The answer is stored
//   when it is sent.
// - A route marked DEFERRED_IDEMPOTENCY (the ticket create, the burst path) claims nothing up front. Its
//   handler writes the key and the answer in the same statement as its work (one round trip and one
//   commit instead of three), but only for a key never seen: should the key exist or a concurrent request
//   insert it first, that statement changes nothing and the handler falls back to `hold()`, the claim
//   above. Work that is not that one statement calls `hold()` before it starts. A request that ends
//   without either (a 400 from validation, a 404) claims the key as its answer is sent, or replays the
//   answer that a request with the same key stored meanwhile.
const RETENTION_MS = 24 * 60 * 60 * 1000;
const CLAIM_MS = 60 * 1000; // a claim left by a crashed request is taken over after this
const WAIT_MS = 30 * 1000;
const POLL_MS = 25;

/** The form of `response_body`: the answer as sent, or a view's data that `render` turns into it. */
interface Stored {
  contentType: string;
  payload?: string;
  view?: string;
  data?: unknown;
}

// Views whose data a statement stores in place of the answer (IdempotentRequest.answeredInStatement),
// rendered on replay by the running version's code.
const views = new Map<string, (data: unknown) => string>();

/** Registers how the answer of a view stored by a statement is rendered on replay (byte for byte the first). */
export function registerStoredView(name: string, render: (data: unknown) => string): void {
  views.set(name, render);
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

/** What makes two requests with one key the same request: method, URL and the body's JSON, keys sorted. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n${canonical(body ?? null)}`).digest('hex');
}

// Claims the key: a new key, or one whose answer is older than 24 h, or one left claimed by a request
// that died ($5 is the retention cut-off, $4 now).
const CLAIM = `INSERT INTO idempotency_keys (key, fingerprint, locked_until, created_at) VALUES ($1, $2, $3, $4)
  ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint, status_code = NULL, response_body = NULL,
    locked_until = EXCLUDED.locked_until, created_at = EXCLUDED.created_at
  WHERE idempotency_keys.created_at <= $5 OR (idempotency_keys.status_code IS NULL AND idempotency_keys.locked_until <= $4)
  RETURNING key`;

type State = 'deferred' | 'held' | 'answered' | 'done';
type Outcome = { held: true } | { answer: StoredAnswer } | { problem: Problem };

/** A POST's Idempotency-Key, as its handler sees it. */
export class IdempotentRequest {
  private state: State;

  constructor(
    readonly key: string,
    readonly fingerprint: string,
    private readonly pool: Pool,
    private readonly clock: Clock,
    deferred: boolean,
  ) {
    this.state = deferred ? 'deferred' : 'held';
  }

  /** Neither held nor answered yet: the handler may write key and answer with its work in one statement. */
  get deferred(): boolean {
    return this.state === 'deferred';
  }

  /** The handler's statement stored the key and the answer with its work: nothing to store when sent. */
  answeredInStatement(): void {
    this.state = 'answered';
  }

  /**
   * Claims the key before work that is not one statement with its answer. Returns once this request holds
   * it; throws IdempotentReplay with an earlier answer, or a Problem (422 other body, 409 still running).
   */
  async hold(): Promise<void> {
    if (this.state !== 'deferred') return;
    const outcome = await this.acquire();
    if ('held' in outcome) {
      this.state = 'held';
      return;
    }
    this.state = 'done';
    if ('answer' in outcome) throw new IdempotentReplay(outcome.answer);
    throw outcome.problem;
  }

  /** Claims the key, or finds the answer of the request that holds it, waiting for it if need be. */
  async acquire(): Promise<Outcome> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const now = this.clock.now();
      const { rows: claimed } = await this.pool.query<{ key: string }>(
        prepared(CLAIM, [this.key, this.fingerprint, new Date(now.getTime() + CLAIM_MS), now, new Date(now.getTime() - RETENTION_MS)]),
      );
      if (claimed.length) return { held: true };
      const {
        rows: [existing],
      } = await this.pool.query<{ fingerprint: string; status_code: number | null; response_body: string | null }>(
        prepared('SELECT fingerprint, status_code, response_body FROM idempotency_keys WHERE key = $1', [this.key]),
      );
      if (!existing) continue; // released by a failed first attempt: claim it now
      if (existing.fingerprint !== this.fingerprint) {
        return { problem: new Problem(ProblemCode.IDEMPOTENCY_MISMATCH, 'This Idempotency-Key was used with a different request body') };
      }
      if (existing.status_code !== null) return { answer: render(existing.status_code, existing.response_body) };
      if (Date.now() > deadline) return { problem: new Problem(ProblemCode.IDEMPOTENCY_IN_PROGRESS, 'The first request with this key has not finished yet') };
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  /** onSend: stores the answer of a held key (or releases it after a 500); a deferred one is acquired first. */
  async finish(reply: FastifyReply, payload: unknown): Promise<unknown> {
    const state = this.state;
    this.state = 'done';
    if (state === 'answered' || state === 'done') return payload;
    const failed = reply.statusCode >= 500 || (typeof payload !== 'string' && payload !== null && payload !== undefined);
    if (state === 'deferred') {
      if (failed) return payload; // nothing was claimed, nothing to keep
      const outcome = await this.acquire();
      if ('answer' in outcome) return replayed(reply, outcome.answer);
      if ('problem' in outcome) return problemPayload(reply, outcome.problem);
    }
    if (failed) {
      await this.pool.query(prepared('DELETE FROM idempotency_keys WHERE key = $1', [this.key]));
      return payload;
    }
    const stored: Stored = { contentType: String(reply.getHeader('content-type') ?? 'application/json'), payload: (payload as string | null | undefined) ?? '' };
    await this.pool.query(prepared('UPDATE idempotency_keys SET status_code = $1, response_body = $2 WHERE key = $3', [reply.statusCode, JSON.stringify(stored), this.key]));
    return payload;
  }
}

function render(status: number, body: string | null): StoredAnswer {
  const stored = JSON.parse(body ?? '{}') as Stored;
  if (stored.view === undefined) return { status, contentType: stored.contentType, payload: stored.payload ?? '' };
  const view = views.get(stored.view);
  if (!view) throw new Error(`No renderer for the stored view ${stored.view}`);
  return { status, contentType: stored.contentType, payload: view(stored.data) };
}

function problemPayload(reply: FastifyReply, problem: Problem): string {
  reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8');
  return JSON.stringify(problem.body(reply.request.url));
}

const requests = new WeakMap<FastifyRequest, IdempotentRequest>();

/** The request's Idempotency-Key, or undefined when it has none (or it was refused). */
export function idempotencyOf(request: FastifyRequest): IdempotentRequest | undefined {
  return requests.get(request);
}

/**
 * Marks a route's handler as one that writes the key and answer in the statement of its work, or calls
 * hold() before any other work: `@RouteConfig(DEFERRED_IDEMPOTENCY)` on the handler.
 */
export const DEFERRED_IDEMPOTENCY = { idempotency: 'deferred' } as const;

const isDeferred = (request: FastifyRequest) => (request.routeOptions.config as { idempotency?: string } | undefined)?.idempotency === DEFERRED_IDEMPOTENCY.idempotency;

/** The hooks, on every POST. */
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
    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    const idempotent = new IdempotentRequest(key, fingerprint, pool, clock, isDeferred(request));
    if (idempotent.deferred) {
      requests.set(request, idempotent);
      return;
    }
    const outcome = await idempotent.acquire();
    if ('answer' in outcome) return reply.send(replayed(reply, outcome.answer));
    if ('problem' in outcome) return sendProblem(outcome.problem, request, reply);
    requests.set(request, idempotent);
  });

  fastify.addHook('onSend', async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const idempotent = requests.get(request);
    if (!idempotent) return payload;
    requests.delete(request);
    return idempotent.finish(reply, payload);
  });
}
