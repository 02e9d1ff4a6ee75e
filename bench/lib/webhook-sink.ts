import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Client } from 'pg';
import { withClient } from './database';
import { call, token } from './load';
import type { Bench } from './context';
import type { Service } from './service';

// Outbound ON for the write scenarios (issue 30): an endpoint wanting every event type of every unit, so
// each ticket event writes an outbox row (the triggers of migration 20261204030000_outbound) and the
// service's dispatcher delivers it here. The sink answers 204 at once and counts what it got.
export interface WebhookSink {
  url: string;
  received(): number;
  close(): void;
}

export async function webhookSink(): Promise<WebhookSink> {
  let received = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      received++;
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, received: () => received, close: () => server.close() };
}

/** The service's environment that lets it deliver to the sink on loopback (R-W6 allows listed hosts only). */
export const SINK_ENV = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };

/** POST /api/v1/webhooks as admin: every event type, every unit. */
export async function registerWebhook(bench: Bench, service: Service, sink: WebhookSink): Promise<void> {
  const answer = await call(service, 'POST', '/api/v1/webhooks', await token(bench, 'admin'), { url: sink.url, eventTypes: ['*'], description: 'bench sink' });
  if (answer.status !== 201) throw new Error(`POST webhook: ${answer.status} ${answer.body}`);
}

/** Outbox rows written so far, and those not yet delivered. */
export async function outbox(url: string): Promise<{ rows: number; pending: number }> {
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ rows: number; pending: number }>(
      `SELECT count(*)::int AS rows, count(*) FILTER (WHERE status = 'PENDING')::int AS pending FROM outbound_messages`,
    );
    return rows[0];
  });
}

/**
 * Runs a raw-SQL run's `work` with the dispatcher woken every `everyMs`, as the service wakes it after each
 * of its own writes (its claims are at least 25 ms apart, CLAIM_GAP_MS): the raw run's messages are then
 * delivered beside it, as an HTTP run's are beside that run, and both runs share the machine with the same
 * deliveries.
 */
export async function whileDispatcherWoken<T>(url: string, work: () => Promise<T>, everyMs = 25): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  let last: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => (last = client.query(`SELECT pg_notify('outbound_messages', '')`).catch(() => undefined)), everyMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    await last;
    await client.end();
  }
}

/**
 * Wakes the dispatcher and waits (at most `ms`) until it has delivered every waiting message: a run then
 * starts from an empty outbox instead of delivering the previous run's backlog beside its own. What waited,
 * and how long the wait took.
 */
export async function drained(url: string, ms = 120_000): Promise<{ waiting: number; seconds: number }> {
  const started = performance.now();
  // the service wakes its dispatcher after each of its writes; a raw-SQL run's writes wake none, and its
  // messages would wait up to the 5 s poll: woken here, as a writer that tells it once at the end
  await withClient(url, (c) => c.query(`SELECT pg_notify('outbound_messages', '')`));
  const waiting = (await outbox(url)).pending;
  const deadline = Date.now() + ms;
  while ((await outbox(url)).pending > 0) {
    if (Date.now() > deadline) throw new Error(`the outbox did not drain within ${ms / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return { waiting, seconds: (performance.now() - started) / 1000 };
}
