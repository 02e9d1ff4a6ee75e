import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Client } from 'pg';
import type { Webhook, OutboundMessage } from '../generated/prisma/client';
import { Clock } from '../clock/clock';
import { LocalCommits } from '../database/commits';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { logFault, rootLogger } from '../logging/logger';
import { tracing } from '../tracing/state';
import { checkedAddress, post, WebhookResolver } from './delivery';
import { Mailer } from './mailer';
import { OutboundMetrics } from './outbound.metrics';
import { type AttemptOutcome, type AttemptRecord, OutboundRepository } from './outbound.repository';
import { DISABLE_AFTER_MS, isDelivered, isPermanentMailFailure, nextAttemptAt, shouldDisable } from './outbound.rules';
import { webhookBody } from './outbound.view';
import { signedHeaders } from './signing';

const CHANNEL = 'outbound_messages';
// Deliveries are waits on sockets, cheap to hold: room for 50 dead endpoints (PER_ENDPOINT each) before a healthy one waits.
const MAX_IN_FLIGHT = 200;
const PER_ENDPOINT = 4;
const LEASE_MS = 60_000;
const FALLBACK_POLL_MS = 5_000;
const RELISTEN_MS = 1_000;

/**
 * R-W2: delivers the outbox in every replica. Woken by LISTEN/NOTIFY on a connection of its own (and
 * a slow poll in case a notification is lost), it claims due messages with FOR UPDATE SKIP LOCKED and
 * sends each without waiting for the others, at most PER_ENDPOINT at a time per endpoint.
 */
@Injectable()
export class Dispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly log = rootLogger.child({ component: 'outbound' });
  private readonly claimer = `dispatcher-${randomUUID()}`;
  private listener?: Client;
  private poll?: NodeJS.Timeout;
  private inFlight = new Set<Promise<void>>();
  private running = false;
  private again = false;
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
    this.wake();
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

  async onApplicationShutdown(): Promise<void> {
    this.stopped = true;
    clearInterval(this.poll);
    await this.listener?.end().catch(() => undefined);
    await Promise.allSettled([...this.inFlight]);
  }

  private tick(): void {
    this.repository.anyEnabledWebhook().then(
      (any) => (this.endpoints = any),
      () => (this.endpoints = true),
    );
    this.wake();
  }

  /** An endpoint was registered or enabled here: this replica's ticket writes may write messages again. */
  endpointsChanged(): void {
    this.endpoints = true;
  }

  /** Look for due work now (also what tests call after moving the fake clock). */
  wake(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    void this.drain()
      .catch((e) => this.log.error({ err: e }, 'outbound claim failed'))
      .finally(() => {
        this.running = false;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  /** Resolves when nothing is in flight (tests). */
  async idle(): Promise<void> {
    while (this.running || this.inFlight.size) await Promise.allSettled([...this.inFlight, new Promise((r) => setImmediate(r))]);
  }

  private async drain(): Promise<void> {
    while (!this.stopped && this.inFlight.size < MAX_IN_FLIGHT) {
      const now = this.clock.now();
      const claimed = await this.repository.claim(now, new Date(now.getTime() + LEASE_MS), this.claimer, MAX_IN_FLIGHT - this.inFlight.size, PER_ENDPOINT);
      if (!claimed.length) return;
      const webhooks = new Map((await this.repository.findWebhooks([...new Set(claimed.flatMap((m) => (m.webhookId ? [m.webhookId] : [])))])).map((w) => [w.id, w]));
      for (const message of claimed) {
        // each delivery is a trace of its own (issue 32), with its attempt's statements inside
        const attributes = { 'apkt.message_id': message.id, 'apkt.channel': message.channel, 'apkt.endpoint': message.webhookId ?? 'email' };
        const job = tracing
          .rootSpan(`outbound delivery ${message.type}`, attributes, () => this.deliver(message, message.webhookId ? webhooks.get(message.webhookId) : undefined))
          .catch((e) => this.log.error({ err: e, messageId: message.id }, 'outbound delivery failed'))
          .finally(() => {
            this.inFlight.delete(job);
            this.wake();
          });
        this.inFlight.add(job);
      }
    }
  }

  private async deliver(message: OutboundMessage, webhook: Webhook | undefined): Promise<void> {
    const attempt = message.channel === 'EMAIL' ? await this.sendMail(message) : await this.sendWebhook(message, webhook);
    const outcome: AttemptOutcome = attempt.ok
      ? { status: 'DELIVERED' }
      : attempt.permanent
        ? { status: 'FAILED' }
        : (() => {
            const at = nextAttemptAt(attempt.record.at, message.attemptCount + 1, Math.random());
            return at ? { status: 'PENDING' as const, nextAttemptAt: at } : { status: 'FAILED' as const };
          })();
    this.metrics.attempt(message.webhookId ?? 'email', attempt.ok ? 'delivered' : outcome.status === 'FAILED' ? 'failed' : 'retry');
    const held = await this.repository.finish(message, this.claimer, attempt.record, outcome);
    if (held && !attempt.ok && webhook) await this.maybeDisable(webhook, attempt.record.at);
  }

  private async sendWebhook(message: OutboundMessage, webhook: Webhook | undefined): Promise<{ ok: boolean; permanent?: boolean; record: AttemptRecord }> {
    const at = this.clock.now();
    const started = Date.now();
    if (!webhook) return { ok: false, permanent: true, record: { at, statusCode: null, durationMs: 0, error: 'endpoint removed', answer: null, ok: false } };
    const url = new URL(webhook.url);
    const pinned = await checkedAddress(this.resolver, url, this.config.webhookAllowedHosts ?? []);
    if (typeof pinned === 'string') {
      return { ok: false, record: { at, statusCode: null, durationMs: Date.now() - started, error: `refused: ${pinned}`, answer: null, ok: false } };
    }
    const secrets = [webhook.secret, ...(webhook.previousSecret && webhook.previousSecretUntil && webhook.previousSecretUntil > at ? [webhook.previousSecret] : [])];
    const body = webhookBody(message.payload);
    const result = await post(url, pinned, signedHeaders(secrets, message.id, at, body), body, started);
    const ok = result.statusCode !== null && isDelivered(result.statusCode);
    const error = result.error ?? (ok ? null : `answered ${result.statusCode}`);
    return { ok, record: { at, statusCode: result.statusCode, durationMs: result.durationMs, error, answer: result.answer, ok } };
  }

  private async sendMail(message: OutboundMessage): Promise<{ ok: boolean; permanent?: boolean; record: AttemptRecord }> {
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
