import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Pool } from 'pg';
import { callerOf, type TokenVerifier } from '../auth/jwt';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { Tx } from '../database/prisma.service';
import { Problem, ProblemCode } from '../common/problem';
import { sendProblem } from './problem.filter';
import { onRoutesWhere } from './route-hooks';
import { IdempotentReplay, replayed, type StoredAnswer } from './replay';
import { CLAIM_NEW, inTransaction, type KeyRow, READ_KEY, releaseKey, RETENTION_MS, type Run, runOnPool, storeAnswer, storeAnswerIn, TAKE_OVER } from './idempotency.repository';

// Idempotency-Key on every POST (API.md), kept in the database so that it holds across replicas and
// restarts. Keys are scoped to the caller's `sub`, so one client can never replay another's answer.
//
// The rule every way below keeps: the answer is committed with the work, or the work did not happen — so
// a retry after any failure (a crash, the database going away between work and answer) either replays
// the first answer or does the work once (issue 14 points 13, 17).
// - A route marked @IdempotentWork() (every POST whose work is one interactive transaction) claims
//   nothing up front. Its service runs the work through `withinWork()`: the key is claimed by the first
//   statement of that transaction and the answer stored by its last, so both commit or vanish with the
//   work. A second request with the key at the same instant waits on the key's row (PostgreSQL's unique
//   index) until the first commits, then replays its answer.
//   Such a service may first try its work as one statement that stores the key and the answer with it,
//   as below (a status move, a plain re-report: TicketsService.changeAlone), and run the transaction only
//   when that statement wrote nothing.
// - A route marked DEFERRED_IDEMPOTENCY (the ticket create, the burst path) also claims nothing up front.
//   Its handler writes the key and the answer in the same statement as its work (one round trip and one
//   commit instead of three), but only for a key never seen: should the key exist or a concurrent request
//   insert it first, that statement changes nothing and the handler falls back to the transaction above.
// - Any other POST claims the key with an insert before the handler runs and stores the answer when it
//   is sent; of two requests with the same key at the same instant one claims it, the other waits for
//   its answer and replays it.
// A request of the first two kinds that ends without its transaction (a 400 from validation, a 404)
// claims the key as its answer is sent, or replays the answer that a request with the same key stored
// meanwhile.
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

/**
 * R-P3: a stored answer (the `response_body` of idempotency_keys) with every text in it passed through
 * `scrub` (null: the text was personal data and nothing else), as an erasure leaves it: the answer as sent is parsed, scrubbed and written again, a view's
 * data scrubbed in place. Unchanged when there is nothing to scrub.
 */
export function scrubbedStoredAnswer(responseBody: string, scrub: (text: string) => string | null): string {
  const walk = (value: unknown): unknown => {
    if (typeof value === 'string') return scrub(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, walk(v)]));
    return value;
  };
  const stored = JSON.parse(responseBody) as Stored;
  const payload = stored.payload !== undefined && /json/.test(stored.contentType) ? JSON.stringify(walk(JSON.parse(stored.payload))) : stored.payload;
  const next: Stored = { ...stored, ...(payload !== undefined ? { payload } : {}), ...(stored.data !== undefined ? { data: walk(stored.data) } : {}) };
  const written = JSON.stringify(next);
  return written === JSON.stringify(stored) ? responseBody : written;
}

/** What makes two requests with one key the same request: method, URL and the body's JSON, keys sorted. */
export function requestFingerprint(method: string, url: string, body: unknown): string {
  return createHash('sha256').update(`${method} ${url}\n${canonical(body ?? null)}`).digest('hex');
}

type State = 'deferred' | 'claimedInWork' | 'held' | 'answered' | 'done';
type Outcome = { held: true } | { answer: StoredAnswer } | { problem: Problem };

/** A POST's Idempotency-Key, as its handler sees it. */
export class IdempotentRequest {
  private state: State;

  /** The answer stored by withinWork(), as stored: onSend checks the answer sent is the same. */
  private storedInWork?: Stored;

  constructor(
    readonly key: string,
    readonly fingerprint: string,
    private readonly pool: Pool,
    private readonly clock: Clock,
    deferred: boolean,
    /** The route's success status, stored with an answer written inside the work's transaction. */
    private readonly status = 201,
  ) {
    this.state = deferred ? 'deferred' : 'held';
  }

  /**
   * Runs `work` as the body of the caller's interactive transaction `tx`, with the key claimed by the
   * transaction's first statement and the answer (what `work` returns, the route's body) stored by its
   * last. A key already answered throws IdempotentReplay (the transaction rolls back, nothing is done).
   */
  async withinWork<T>(tx: Tx, work: () => Promise<T>): Promise<T> {
    if (this.state !== 'deferred') return work();
    const outcome = await this.acquire(inTransaction(tx));
    if (!('held' in outcome)) {
      this.state = 'done';
      if ('answer' in outcome) throw new IdempotentReplay(outcome.answer);
      throw outcome.problem;
    }
    this.state = 'claimedInWork';
    try {
      const result = await work();
      const stored: Stored = { contentType: 'application/json; charset=utf-8', payload: JSON.stringify(result) ?? '' };
      await storeAnswerIn(tx, this.key, this.status, JSON.stringify(stored));
      this.storedInWork = stored;
      this.state = 'answered';
      return result;
    } catch (error) {
      this.state = 'deferred'; // the claim rolls back with the work: the error's answer is stored when sent
      throw error;
    }
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
   * Claims the key, or finds the answer of the request that holds it, waiting for it if need be; `run`
   * is where: the pool (a claim of its own), or the work's transaction (withinWork).
   */
  async acquire(run: Run = this.onPool): Promise<Outcome> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const now = this.clock.now();
      const lockedUntil = new Date(now.getTime() + CLAIM_MS);
      if ((await run(CLAIM_NEW, [this.key, this.fingerprint, lockedUntil, now])).length) return { held: true };
      if ((await run(TAKE_OVER, [this.key, this.fingerprint, lockedUntil, now, new Date(now.getTime() - RETENTION_MS)])).length) return { held: true };
      const [existing] = (await run(READ_KEY, [this.key])) as KeyRow[];
      if (!existing) continue; // released by a failed first attempt: claim it now
      const outcome = this.outcomeOf(existing);
      if (outcome) return outcome;
      if (Date.now() > deadline) return { problem: new Problem(ProblemCode.IDEMPOTENCY_IN_PROGRESS, 'The first request with this key has not finished yet') };
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
  }

  private readonly onPool: Run = (text, values) => runOnPool(this.pool, text, values);

  /**
   * withinWork() stored the value its work returned as the route's body. Should the route have sent
   * something else (a status or body set after the transaction), the answer sent is stored over it; if
   * that fails, a replay still has the answer committed with the work.
   */
  private async confirmStoredInWork(reply: FastifyReply, payload: unknown): Promise<unknown> {
    const stored = this.storedInWork;
    if (!stored || reply.statusCode >= 500 || typeof payload !== 'string') return payload;
    if (reply.statusCode === this.status && payload === stored.payload) return payload;
    const sent: Stored = { contentType: String(reply.getHeader('content-type') ?? stored.contentType), payload };
    await storeAnswer(this.pool, this.key, reply.statusCode, JSON.stringify(sent)).catch(() => undefined);
    return payload;
  }

  /** An existing key's answer, or the 422 of another body; undefined while its first request runs. */
  private outcomeOf(existing: KeyRow): Outcome | undefined {
    if (existing.fingerprint !== this.fingerprint) {
      return { problem: new Problem(ProblemCode.IDEMPOTENCY_MISMATCH, 'This Idempotency-Key was used with a different request body') };
    }
    if (existing.status_code !== null) return { answer: render(existing.status_code, existing.response_body) };
    return undefined;
  }

  /** onSend: stores the answer of a held key (or releases it after a 500); a deferred one is acquired first. */
  async finish(reply: FastifyReply, payload: unknown): Promise<unknown> {
    const state = this.state;
    this.state = 'done';
    if (state === 'answered') return this.confirmStoredInWork(reply, payload);
    if (state === 'done' || state === 'claimedInWork') return payload;
    const failed = reply.statusCode >= 500 || (typeof payload !== 'string' && payload !== null && payload !== undefined);
    if (state === 'deferred') {
      if (failed) return payload; // nothing was claimed, nothing to keep
      const outcome = await this.acquire();
      if ('answer' in outcome) return replayed(reply, outcome.answer);
      if ('problem' in outcome) return problemPayload(reply, outcome.problem);
    }
    if (failed) {
      await releaseKey(this.pool, this.key);
      return payload;
    }
    const stored: Stored = { contentType: String(reply.getHeader('content-type') ?? 'application/json'), payload: (payload as string | null | undefined) ?? '' };
    await storeAnswer(this.pool, this.key, reply.statusCode, JSON.stringify(stored));
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
 * Marks a route's handler as one that writes the key and answer in the statement of its work, or else
 * runs its work through `withinWork()`: `@RouteConfig(DEFERRED_IDEMPOTENCY)` on the handler.
 */
export const DEFERRED_IDEMPOTENCY = { idempotency: 'deferred' } as const;

/**
 * Marks a POST whose work is one interactive transaction run through `IdempotentRequest.withinWork()`
 * (the key claimed and the answer stored inside it); `status` is the route's success status.
 */
export const IdempotentWork = (status: 200 | 201 | 202 = 201) => RouteConfig({ idempotency: 'work', status });

type RouteIdempotency = { idempotency?: string; status?: number } | undefined;
const routeIdempotency = (request: FastifyRequest) => request.routeOptions.config as RouteIdempotency;
/** Runs a transaction's work with the request's Idempotency-Key claimed and answered inside it, if it has one. */
export function withinWork<T>(tx: Tx, idempotent: IdempotentRequest | undefined, work: () => Promise<T>): Promise<T> {
  return idempotent ? idempotent.withinWork(tx, work) : work();
}

/** The handler's parameter: the request's Idempotency-Key, or undefined when it has none. */
export const Idempotency = createParamDecorator((_: unknown, context: ExecutionContext) => idempotencyOf(context.switchToHttp().getRequest<FastifyRequest>()));

const isDeferred = (request: FastifyRequest) => {
  const mode = routeIdempotency(request)?.idempotency;
  return mode === DEFERRED_IDEMPOTENCY.idempotency || mode === 'work';
};

/**
 * The hooks, on every POST route and only there: the routes that read (the dashboards' 304 above all,
 * issue 25) do not pay two promises per request for hooks that return at once for them.
 */
export function registerIdempotency(fastify: FastifyInstance, pool: Pool, clock: Clock, verifier: TokenVerifier): void {
  const preHandler = async (request: FastifyRequest, reply: FastifyReply) => {
    const header = request.headers['idempotency-key'];
    if (typeof header !== 'string' || header === '') return; // a POST route's (onRoutesWhere below)
    const caller = await callerOf(request.headers.authorization, verifier);
    if (!caller) return; // the auth guard answers 401
    (request as FastifyRequest & { caller?: Caller }).caller = caller; // verified once: the guard reuses it
    if (header.length > 255) return sendProblem(new Problem(ProblemCode.VALIDATION, 'Idempotency-Key is longer than 255 characters', [{ field: 'Idempotency-Key', message: 'at most 255 characters' }]), request, reply);
    const key = `${caller.sub.length}:${caller.sub}:${header}`; // length-prefixed: no two (sub, key) pairs collide
    const fingerprint = requestFingerprint(request.method, request.url, request.body);
    const idempotent = new IdempotentRequest(key, fingerprint, pool, clock, isDeferred(request), routeIdempotency(request)?.status);
    if (idempotent.deferred) {
      requests.set(request, idempotent);
      return;
    }
    const outcome = await idempotent.acquire();
    if ('answer' in outcome) return reply.send(replayed(reply, outcome.answer));
    if ('problem' in outcome) return sendProblem(outcome.problem, request, reply);
    requests.set(request, idempotent);
  };
  const onSend = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const idempotent = requests.get(request);
    if (!idempotent) return payload;
    requests.delete(request);
    return idempotent.finish(reply, payload);
  };
  onRoutesWhere(fastify, (method) => method === 'POST', { preHandler, onSend });
}

