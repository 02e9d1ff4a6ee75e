import { randomUUID } from 'node:crypto';
import { type BeforeApplicationShutdown, Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { Client } from 'pg';
import type { Webhook } from '../generated/prisma/client';
import { Clock } from '../clock/clock';
import { LocalCommits } from '../database/commits';
import { RequestPressure } from '../http/request-pressure';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { logFault, rootLogger } from '../logging/logger';
import { tracing } from '../tracing/state';
import { checkedAddress, Connections, post, WebhookResolver } from './delivery';
import { Mailer } from './mailer';
import { OutboundMetrics } from './outbound.metrics';
import { type AttemptOutcome, type AttemptRecord, type ClaimedMessage, type Finished, OutboundRepository } from './outbound.repository';
import { DELIVERY_TIMEOUT_MS, DISABLE_AFTER_MS, isDelivered, isPermanentMailFailure, nextAttemptAt, shouldDisable } from './outbound.rules';
import { webhookBody } from './outbound.view';
import { signedHeaders } from './signing';

const CHANNEL = 'outbound_messages';
/** Deliveries are waits on sockets, cheap to hold: room for 50 failing endpoints (NARROW each) before a healthy one waits. */
const MAX_IN_FLIGHT = 200;
/**
 * Deliveries in flight per healthy endpoint. With 4, a receiver 10 ms away under load took at most 400
 * a second, and a paced 383 creates/s to three endpoints queued up: commit → delivery p50 689 ms, p99
 * 1,252 ms; with 8, p50 74 ms, p99 155 ms (issue 27, bench/HISTORY.md).
 */
const PER_ENDPOINT = 8;
/** In flight for an endpoint whose last attempt failed, and for mail; also their claim window. */
const NARROW = 4;
/** Messages claimed and not yet finished, in all (queued here, in flight, or waiting for their finish to be written). */
const MAX_HELD = 2_000;
/** A queue's claim window: an endpoint not seen yet; a failing one and mail; the most for a fast one. */
const FIRST_WINDOW = 16;
const MAX_WINDOW = 1_000;
/** A healthy endpoint's window is what it delivers in this long at its recent pace (a third of the lease). */
const WINDOW_MS = 20_000;
const LEASE_MS = 60_000;
/** A queued message is sent only with this much lease left (an attempt takes at most DELIVERY_TIMEOUT_MS); else it is given back. */
const LEASE_LEFT_MS = DELIVERY_TIMEOUT_MS + 5_000;
/** Finished attempts are written together: after this long, or at once when this many are waiting. */
const FLUSH_MS = 10;
const FLUSH_AT = 200;
/** Claims are at least this far apart: the wakes of a burst of commits share one claim. */
const CLAIM_GAP_MS = 25;
/**
 * While this replica's requests are pressed for its thread (src/http/request-pressure.ts), deliveries
 * give way: claims at least PRESSED_CLAIM_GAP_MS apart, of at most PRESSED_RATE messages, and at most
 * PRESSED_RATE started a second, so that they slow down but never stop; another replica with room
 * delivers meanwhile. In bench scenario 1 the deliveries shared the thread with the creates and cost
 * them about a tenth (issue 30, bench/HISTORY.md).
 */
const PRESSED_CLAIM_GAP_MS = 1_000;
export const PRESSED_RATE = 20;
const FALLBACK_POLL_MS = 5_000;
const RELISTEN_MS = 1_000;
const EMAIL = 'EMAIL';

/** One endpoint's (or mail's) claimed messages, sent in order with at most PER_ENDPOINT (NARROW) in flight. */
interface Queue {
  key: string;
  waiting: ClaimedMessage[];
  sending: number;
  /** The endpoint as of its latest claim (undefined: removed, or mail). */
  webhook?: Webhook;
  /** Recent attempt duration (moving average, ms); undefined before the first. */
  paceMs?: number;
  failing: boolean;
  used: number;
}

/**
 * R-W2: delivers the outbox in every replica. Woken by LISTEN/NOTIFY on a connection of its own, by this
 * replica's committed ticket writes, by its own finished attempts, and by a slow poll in case a
 * notification is lost, it claims due messages of many endpoints in one statement (FOR UPDATE SKIP
 * LOCKED, per-subject order kept by the claim), holds them in a queue per endpoint sent at most
 * PER_ENDPOINT at a time each (NARROW for a failing one and mail), and writes finished attempts in
 * batches. A slow or failing endpoint has a narrow window, so it holds only its own few messages.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly log = rootLogger.child({ component: 'outbound' });
  private readonly claimer = `dispatcher-${randomUUID()}`;
  private readonly connections = new Connections();
  private listener?: Client;
  private poll?: NodeJS.Timeout;
  private readonly queues = new Map<string, Queue>();
  /** Every message claimed here and not finished or given back: its queue key. */
  private readonly held = new Map<string, string>();
  private readonly jobs = new Set<Promise<void>>();
  private sending = 0;
  private finished: (Finished & { queue: Queue })[] = [];
  private released: string[] = [];
  private flushTimer?: NodeJS.Timeout;
  private flushing?: Promise<void>;
  private claimTimer?: NodeJS.Timeout;
  private lastClaim = 0;
  /** Under pressure: the second deliveries are counted in, how many started in it, and the pump at its end. */
  private pressedSecond = 0;
  private pressedStarted = 0;
  private pressedTimer?: NodeJS.Timeout;
  private running = false;
  private again = false;
  private stopListeningToPressure?: () => void;
  private stopped = false;
  /** Whether an enabled endpoint exists (looked up by the poll): without one a ticket write wrote no message. */
  private endpoints = true;

  constructor(
    private readonly repository: OutboundRepository,
    private readonly resolver: WebhookResolver,
    private readonly mailer: Mailer,
    private readonly metrics: OutboundMetrics,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly commits: LocalCommits,
    private readonly pressure: RequestPressure,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.listen();
    // a ticket event's message does not NOTIFY (migration 20261204081000): this replica's own ticket
    // writes wake it; another replica's are delivered by that replica, or found by the poll
    this.commits.onTickets(() => {
      if (this.endpoints) this.wake();
    });
    this.poll = setInterval(() => this.tick(), FALLBACK_POLL_MS);
    this.poll.unref();
    // the requests' pressure over: what waited here goes at once
    this.stopListeningToPressure = this.pressure.onEased(() => this.resume());
    this.wake();
  }

  /** Claims and sends again at full pace. */
  private resume(): void {
    clearTimeout(this.claimTimer); // set a second ahead under pressure
    this.claimTimer = undefined;
    this.wake();
    this.pumpAll();
  }

  private pumpAll(): void {
    for (const q of this.queues.values()) this.pump(q);
  }

  /** LISTEN on a connection of its own; lost (a database restart), it connects again a second later. */
  private async listen(): Promise<void> {
    if (this.stopped) return;
    // LISTEN needs a session of its own: past a transaction pooler, the direct connection (docs/replicas.md)
    const listener = new Client({ connectionString: this.config.databaseDirectUrl ?? this.config.databaseUrl });
    this.listener = listener;
    let retried = false;
    const again = (e?: unknown) => {
      if (retried || this.stopped) return;
      retried = true;
      if (e) logFault(true, (level) => this.log[level]({ err: e }, 'outbound listener lost; the poll carries on until it is back'));
      void listener.end().catch(() => undefined);
      setTimeout(() => void this.listen().then(() => this.wake()), RELISTEN_MS).unref();
    };
    listener.on('notification', () => this.wake());
    listener.on('error', again);
    listener.on('end', () => again());
    try {
      await listener.connect();
      await listener.query(`LISTEN ${CHANNEL}`);
    } catch (e) {
      again(e);
    }
  }

  /**
   * Stops claiming, gives back what is only queued, lets what is in flight end and writes its attempts:
   * before any module's onApplicationShutdown, so the pool (PrismaService) and the mail transport are
   * still open, whatever order Nest gives the modules.
   */
  async beforeApplicationShutdown(): Promise<void> {
    this.stopped = true;
    this.stopListeningToPressure?.();
    clearInterval(this.poll);
    clearTimeout(this.claimTimer);
    clearTimeout(this.pressedTimer);
    await this.listener?.end().catch(() => undefined);
    for (const q of this.queues.values()) {
      for (const m of q.waiting.splice(0)) this.giveBack(m);
    }
    await Promise.allSettled([...this.jobs]);
    while (this.flushing || this.finished.length || this.released.length) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      await this.flush();
    }
    this.connections.close();
  }

  private tick(): void {
    this.repository.anyEnabledWebhook().then(
      (any) => (this.endpoints = any),
      () => (this.endpoints = true),
    );
    this.connections.sweep();
    const before = Date.now() - 10 * FALLBACK_POLL_MS;
    for (const [key, q] of this.queues) if (!q.waiting.length && !q.sending && q.used < before) this.queues.delete(key);
    this.wake();
  }

  /** An endpoint was registered or enabled here: this replica's ticket writes may write messages again. */
  endpointsChanged(): void {
    this.endpoints = true;
  }

  /** Look for due work soon: at once, or CLAIM_GAP_MS after the last claim began (also what tests call after moving the fake clock). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    if (this.claimTimer) return;
    const wait = this.lastClaim + (this.pressure.now ? PRESSED_CLAIM_GAP_MS : CLAIM_GAP_MS) - Date.now();
    if (wait > 0) {
      this.claimTimer = setTimeout(() => {
        this.claimTimer = undefined;
        this.wake();
      }, wait);
      return;
    }
    this.running = true;
    this.lastClaim = Date.now();
    // woken by a request's commit or a delivery's end: the claim is in neither's trace
    void tracing
      .detached(() => this.claim())
      .catch((e) => this.log.error({ err: e }, 'outbound claim failed'))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves when nothing is claimed here and nothing is left to write (tests). */
  async idle(): Promise<void> {
    while (this.running || this.claimTimer || this.held.size || this.jobs.size || this.flushing || this.finished.length || this.released.length) {
      await Promise.allSettled([...this.jobs, this.flushing, new Promise((r) => setTimeout(r, 1))]);
    }
  }

  /** Mail, and an endpoint whose last attempt failed: NARROW in flight and as the claim window. */
  private narrow(q: Queue): boolean {
    return q.key === EMAIL || q.failing;
  }

  /** The claim window of a queue: how many of its messages may be claimed at once (by every dispatcher). */
  private window(q: Queue): number {
    if (this.narrow(q)) return NARROW;
    if (q.paceMs === undefined) return FIRST_WINDOW;
    return Math.max(NARROW, Math.min(MAX_WINDOW, Math.floor((PER_ENDPOINT * WINDOW_MS) / Math.max(1, q.paceMs))));
  }

  private queue(key: string): Queue {
    let q = this.queues.get(key);
    if (!q) {
      q = { key, waiting: [], sending: 0, failing: false, used: Date.now() };
      this.queues.set(key, q);
    }
    return q;
  }

  /** One claim over every endpoint; its messages join their queues. */
  private async claim(): Promise<void> {
    const room = Math.min(MAX_HELD - this.held.size, this.pressure.now ? PRESSED_RATE : MAX_HELD);
    if (room <= 0) return;
    const now = this.clock.now();
    const windows = new Map([...this.queues.values()].map((q) => [q.key, this.window(q)]));
    windows.set(EMAIL, NARROW);
    const claimed = await this.repository.claim(now, new Date(now.getTime() + LEASE_MS), this.claimer, room, windows, FIRST_WINDOW);
    // the endpoints of what was claimed, and of what still waits here: an endpoint disabled, removed or
    // changed since is seen by the next claim (pump gives back the messages of one no longer enabled)
    const waiting = [...this.queues.values()].filter((q) => q.waiting.length && q.key !== EMAIL);
    const ids = [...new Set([...claimed.flatMap((m) => (m.webhookId ? [m.webhookId] : [])), ...waiting.map((q) => q.key)])];
    if (!ids.length && !claimed.length) return;
    const webhooks = new Map((ids.length ? await this.repository.findWebhooks(ids) : []).map((w) => [w.id, w]));
    const touched = new Set<Queue>(waiting);
    for (const q of waiting) q.webhook = webhooks.get(q.key);
    for (const message of claimed) {
      const key = message.webhookId ?? EMAIL;
      const q = this.queue(key);
      if (message.webhookId) q.webhook = webhooks.get(message.webhookId);
      if (this.held.has(message.id)) {
        // claimed again after its lease ran out here (a stalled finish): still queued here, it keeps its new lease
        const queued = q.waiting.find((m) => m.id === message.id);
        if (queued) queued.claimedUntil = message.claimedUntil;
        continue;
      }
      this.held.set(message.id, key);
      q.waiting.push(message);
      touched.add(q);
    }
    for (const q of touched) this.pump(q);
  }

  /** Sends a queue's next messages while it has room (and the replica too). */
  private pump(q: Queue): void {
    if (q.key !== EMAIL && !q.webhook?.enabled) {
      for (const message of q.waiting.splice(0)) this.giveBack(message);
      return;
    }
    const most = this.narrow(q) ? NARROW : PER_ENDPOINT;
    while (q.sending < most && this.sending < MAX_IN_FLIGHT && q.waiting.length && !this.stopped && this.mayStart()) {
      const message = q.waiting.shift()!;
      if ((message.claimedUntil?.getTime() ?? 0) - this.clock.now().getTime() < LEASE_LEFT_MS) {
        this.giveBack(message);
        continue;
      }
      q.sending++;
      this.sending++;
      q.used = Date.now();
      // each delivery is a trace of its own (issue 32), its attempt written with others' (flush)
      const attributes = { 'apkt.message_id': message.id, 'apkt.channel': message.channel, 'apkt.endpoint': message.webhookId ?? 'email' };
      const job = tracing
        .rootSpan(`outbound delivery ${message.type}`, attributes, () => this.deliver(message, q))
        .catch((e) => {
          this.log.error({ err: e, messageId: message.id }, 'outbound delivery failed');
          this.held.delete(message.id); // its lease runs out and it is claimed again
        })
        .finally(() => {
          this.jobs.delete(job);
          q.sending--;
          this.sending--;
          this.pump(q);
          if (this.sending === MAX_IN_FLIGHT - 1) for (const other of this.queues.values()) if (other !== q) this.pump(other);
        });
      this.jobs.add(job);
    }
  }

  /** Whether one more delivery may start now: always, but at most PRESSED_RATE a second under pressure. */
  private mayStart(): boolean {
    if (!this.pressure.now) return true;
    const now = Date.now();
    if (now - this.pressedSecond >= 1_000) {
      this.pressedSecond = now;
      this.pressedStarted = 0;
    }
    if (this.pressedStarted < PRESSED_RATE) {
      this.pressedStarted++;
      return true;
    }
    // the next second's deliveries (the claims keep their own pace)
    this.pressedTimer ??= setTimeout(() => {
      this.pressedTimer = undefined;
      this.pumpAll();
    }, this.pressedSecond + 1_000 - now);
    return false;
  }

  /** A claimed message not attempted: back to the database with the next write. */
  private giveBack(message: ClaimedMessage): void {
    this.released.push(message.id);
    this.scheduleFlush();
  }

  private async deliver(message: ClaimedMessage, q: Queue): Promise<void> {
    const attempt = message.channel === 'EMAIL' ? await this.sendMail(message) : await this.sendWebhook(message, q.webhook);
    const outcome: AttemptOutcome = attempt.ok
      ? { status: 'DELIVERED' }
      : attempt.permanent
        ? { status: 'FAILED' }
        : (() => {
            // R-W4's delays count from the end of the failed attempt: after a 10 s time-out, about 5 s more
            const ended = new Date(attempt.record.at.getTime() + attempt.record.durationMs);
            const at = nextAttemptAt(ended, message.attemptCount + 1, Math.random());
            return at ? { status: 'PENDING' as const, nextAttemptAt: at } : { status: 'FAILED' as const };
          })();
    this.metrics.attempt(message.webhookId ?? 'email', attempt.ok ? 'delivered' : outcome.status === 'FAILED' ? 'failed' : 'retry');
    q.failing = !attempt.ok;
    q.paceMs = q.paceMs === undefined ? attempt.record.durationMs : 0.8 * q.paceMs + 0.2 * attempt.record.durationMs;
    this.finished.push({ messageId: message.id, attempt: attempt.record, outcome, queue: q });
    this.scheduleFlush();
  }

  private scheduleFlush(): void {
    if (this.flushing) return; // the running flush looks again when it ends
    if (this.finished.length + this.released.length >= FLUSH_AT) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      void this.flush();
    } else if (!this.flushTimer) {
      this.flushTimer = setTimeout(() => {
        this.flushTimer = undefined;
        void this.flush();
      }, FLUSH_MS);
    }
  }

  /**
   * Writes the finished attempts (one statement) and gives back the released claims; then looks for
   * due work, since a finished message may have let the next of its subject go (R-W2).
   */
  private flush(): Promise<void> {
    if (this.flushing) return this.flushing;
    const done = this.finished.splice(0);
    const released = this.released.splice(0);
    if (!done.length && !released.length) return Promise.resolve();
    const work = async () => {
      try {
        if (released.length) await this.repository.release(this.claimer, released);
      } catch (e) {
        this.log.warn({ err: e }, 'outbound release failed; the leases run out instead');
      }
      for (const id of released) this.held.delete(id);
      let held = new Set<string>();
      try {
        held = await this.repository.finish(this.claimer, done);
      } catch (e) {
        // not written: each message's lease runs out and it is sent again (at least once, same webhook-id)
        this.log.error({ err: e, n: done.length }, 'outbound attempts not written');
      }
      for (const d of done) this.held.delete(d.messageId);
      const failing = new Map<string, Finished & { queue: Queue }>();
      for (const d of done) if (held.has(d.messageId) && !d.attempt.ok && d.queue.webhook) failing.set(d.queue.webhook.id, d);
      for (const d of failing.values()) await this.maybeDisable(d.queue.webhook!, d.attempt.at).catch((e) => this.log.error({ err: e }, 'outbound disable check failed'));
    };
    // set off by a delivery's end (or a timer it set): the writes are in no delivery's trace
    this.flushing = tracing.detached(work).finally(() => {
      this.flushing = undefined;
      if (this.finished.length || this.released.length) this.scheduleFlush();
      this.wake();
    });
    return this.flushing;
  }

  /** R-W3: a payload's body, rendered once for all the messages sharing it (one event to several endpoints: claim). */
  private readonly bodies = new WeakMap<object, string>();
  private body(payload: ClaimedMessage['payload']): string {
    if (typeof payload !== 'object' || payload === null) return webhookBody(payload);
    let body = this.bodies.get(payload);
    if (body === undefined) {
      body = webhookBody(payload);
      this.bodies.set(payload, body);
    }
    return body;
  }

  private async sendWebhook(message: ClaimedMessage, webhook: Webhook | undefined): Promise<{ ok: boolean; permanent?: boolean; record: AttemptRecord }> {
    const at = this.clock.now();
    const started = Date.now();
    if (!webhook) return { ok: false, permanent: true, record: { at, statusCode: null, durationMs: 0, error: 'endpoint removed', answer: null, ok: false } };
    const url = new URL(webhook.url);
    const pinned = await checkedAddress(this.resolver, url, this.config.webhookAllowedHosts ?? []);
    if (typeof pinned === 'string') {
      return { ok: false, record: { at, statusCode: null, durationMs: Date.now() - started, error: `refused: ${pinned}`, answer: null, ok: false } };
    }
    const secrets = [webhook.secret, ...(webhook.previousSecret && webhook.previousSecretUntil && webhook.previousSecretUntil > at ? [webhook.previousSecret] : [])];
    const body = this.body(message.payload);
    const result = await post(url, pinned, signedHeaders(secrets, message.id, at, body), body, started, this.connections.agent(url, pinned));
    const ok = result.statusCode !== null && isDelivered(result.statusCode);
    const error = result.error ?? (ok ? null : `answered ${result.statusCode}`);
    return { ok, record: { at, statusCode: result.statusCode, durationMs: result.durationMs, error, answer: result.answer, ok } };
  }

  private async sendMail(message: ClaimedMessage): Promise<{ ok: boolean; permanent?: boolean; record: AttemptRecord }> {
    const at = this.clock.now();
    const started = Date.now();
    const result = await this.mailer.send(message);
    const record = { at, statusCode: result.responseCode ?? null, durationMs: Date.now() - started, error: result.error, answer: result.answer, ok: result.ok };
    return { ok: result.ok, permanent: !result.ok && isPermanentMailFailure(result.responseCode), record };
  }

  /** R-W4: an endpoint failing every delivery for 5 days is disabled and the admins are told (R-W7). */
  private async maybeDisable(webhook: Webhook, now: Date): Promise<void> {
    const fresh = (await this.repository.findWebhooks([webhook.id]))[0];
    if (!fresh || !shouldDisable(fresh.failingSince, now)) return;
    const reason = `every delivery failed since ${fresh.failingSince!.toISOString()} (5 days)`;
    const notice = this.mailer.endpointDisabledNotice(fresh, reason, now);
    const disabled = await this.repository.disableIfFailing(webhook.id, new Date(now.getTime() - DISABLE_AFTER_MS), reason, now, notice);
    if (disabled) this.log.warn({ webhookId: webhook.id, reason }, 'webhook endpoint disabled (R-W4)');
  }
}
