import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PoolClient } from 'pg';
import { EmbeddedDatabase, startEmbedded } from '../src/database/embedded';
import { migrate } from '../src/database/migrator';
import { PrismaService } from '../src/database/prisma.service';
import { HealthController } from '../src/health/health.controller';
import { READINESS_FRESH_MS } from '../src/health/readiness';
import { TestApp } from './support/app';
import { withClient } from './support/database';

/**
 * A TCP relay in front of PostgreSQL that can hold every byte for a while (a database slow to answer, as
 * under overload) or stop relaying without closing anything (a database that hangs).
 */
class Relay {
  delayMs = 0;
  stalled = false;
  private readonly sockets = new Set<Socket>();
  private constructor(private readonly server: Server) {}

  static async start(targetPort: number): Promise<Relay> {
    const server = createServer();
    const relay = new Relay(server);
    server.on('connection', (client) => {
      const upstream = new Socket();
      upstream.connect(targetPort, '127.0.0.1');
      const pipe = (from: Socket, to: Socket) =>
        from.on('data', (chunk) => {
          if (relay.stalled) return; // dropped: the other side waits for an answer that never comes
          if (relay.delayMs) setTimeout(() => to.writable && to.write(chunk), relay.delayMs);
          else to.write(chunk);
        });
      pipe(client, upstream);
      pipe(upstream, client);
      for (const s of [client, upstream]) {
        relay.sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => {
          relay.sockets.delete(s);
          client.destroy();
          upstream.destroy();
        });
      }
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return relay;
  }

  get port(): number {
    return (this.server.address() as { port: number }).port;
  }

  async close(): Promise<void> {
    this.sockets.forEach((s) => s.destroy());
    await new Promise((resolve) => this.server.close(resolve));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * GETs `url` after `afterMs` from another process while this thread (the service's main thread: the
 * test and the service share it) is blocked until that process ends; its status, or 0 when refused.
 */
function fetchWhileBlocked(url: string, afterMs: number): number {
  const script = `setTimeout(() => fetch(process.argv[1]).then((r) => console.log(r.status), () => console.log(0)), ${afterMs})`;
  return Number(execFileSync(process.execPath, ['-e', script, url], { encoding: 'utf8', timeout: 20_000 }).trim());
}

async function timed(app: TestApp): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const { status } = await app.call('GET', '/health/ready');
  return { status, ms: performance.now() - started };
}

/**
 * Polls as an orchestrator's probe does: a request that fails (0) counts as not yet, and is tried again.
 * After this thread was blocked past the health server's keep-alive timeout, fetch's first request may go
 * out on a pooled socket the server has already closed ("other side closed"): that is the client's stale
 * connection, not an answer of the service.
 */
async function until(read: () => Promise<number>, wanted: number, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  const attempt = () => read().catch(() => 0);
  let value = await attempt();
  while (value !== wanted && Date.now() < deadline) {
    await sleep(100);
    value = await attempt();
  }
  return value;
}

// Issue 30: /health/ready is answered from a check of the database run in the background on the probe's
// own connection (src/health/readiness.ts), so neither a saturated request pool nor a slow database
// makes an orchestrator's probe wait; and it still answers 503 when the database is down or hangs. This
// file runs its own embedded server, so stopping it touches no other test file.
describe('readiness', () => {
  let dir: string;
  let db: EmbeddedDatabase;
  let relay: Relay;
  let app: TestApp;
  let held: PoolClient[] = [];
  let healthUrl: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'apkt-ready-pg-'));
    await chmod(dir, 0o755); // the server runs as `postgres`
    db = await startEmbedded(join(dir, 'data'));
    await withClient(db.adminUrl, (c) => c.query('CREATE DATABASE apkt_ready'));
    await migrate(db.url('apkt_ready'));
    relay = await Relay.start(Number(new URL(db.url('apkt_ready')).port));
    const viaRelay = new URL(db.url('apkt_ready'));
    viaRelay.port = String(relay.port);
    app = await TestApp.start({ databaseUrl: viaRelay.toString(), config: { dbPoolSize: 2, dbPoolWaitMs: 1500 } });
    healthUrl = `http://127.0.0.1:${await app.app.get(HealthController).openHealthPort(0, '127.0.0.1')}`; // HEALTH_PORT, as main.ts opens it
  }, 120_000);
  afterAll(async () => {
    held.forEach((c) => c.release());
    await app?.close({ dropDatabase: false });
    await relay?.close();
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('answers at once while the request pool is exhausted and every database round trip takes 600 ms', async () => {
    expect(await until(async () => (await timed(app)).status, 200, 10_000)).toBe(200);
    const pool = app.app.get(PrismaService).pool;
    held = [await pool.connect(), await pool.connect()]; // the whole request pool, as a burst of slow requests holds it
    relay.delayMs = 300; // each way
    await sleep(1000); // the checks now take 600 ms and more; the last one is still fresh
    const answers: { status: number; ms: number }[] = [];
    for (let i = 0; i < 10; i++) answers.push(await timed(app)); // spans several background checks
    // a check of its own per request (as before) took ≥ 600 ms each
    expect(answers.map((a) => a.status)).toEqual(Array(10).fill(200));
    expect(Math.max(...answers.map((a) => a.ms))).toBeLessThan(300);
    relay.delayMs = 0;
    held.forEach((c) => c.release());
    held = [];
  }, 30_000);

  it('answers 503 once the database hangs without closing its connections, within the freshness bound and the check timeout', async () => {
    expect((await timed(app)).status).toBe(200);
    relay.stalled = true;
    const stalledAt = Date.now();
    const status = await until(async () => (await timed(app)).status, 503, 10_000);
    const after = Date.now() - stalledAt;
    relay.stalled = false;
    expect(status).toBe(503);
    expect(after).toBeLessThan(READINESS_FRESH_MS + 2_000 + 1_500); // + the probe's 2 s timeout, + slack for a busy machine
    // the stalled probe connection timed out and was dropped; a new one answers
    expect(await until(async () => (await timed(app)).status, 200, 10_000)).toBe(200);
  }, 30_000);

  it('answers 503 at once when PostgreSQL stops (its connections end), and 200 again once it is back', async () => {
    expect(await until(async () => (await timed(app)).status, 200, 10_000)).toBe(200);
    await db.stop(); // FATAL 57P01 on every connection: the last check's result is dropped with them
    expect((await timed(app)).status).toBe(503);
    const onHealthPort = await fetch(`${healthUrl}/health/ready`);
    expect(onHealthPort.status).toBe(503);
    expect(onHealthPort.headers.get('content-type')).toBe('application/problem+json');
    expect(onHealthPort.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(await onHealthPort.json()).toMatchObject({ status: 503, type: expect.stringMatching(/service-unavailable$/), instance: '/health/ready' });
    await db.start();
    expect(await until(async () => (await timed(app)).status, 200, 10_000)).toBe(200);
    expect((await fetch(`${healthUrl}/health/ready`)).status).toBe(200);
  }, 60_000);

  describe('HEALTH_PORT (opt-in)', () => {
    it('answers /health/live and /health/ready, nothing else', async () => {
      expect(await until(async () => (await fetch(`${healthUrl}/health/ready`)).status, 200, 10_000)).toBe(200);
      const live = await fetch(`${healthUrl}/health/live`);
      expect([live.status, await live.json()]).toEqual([200, { status: 'ok' }]);
      expect((await fetch(`${healthUrl}/api/v1/tickets`)).status).toBe(404);
      expect((await fetch(`${healthUrl}/health/ready`, { method: 'POST' })).status).toBe(405);
    });

    it('answers while the main thread is busy, and 503 once it has been stuck past the freshness bound', async () => {
      expect(await until(async () => (await fetch(`${healthUrl}/health/ready`)).status, 200, 10_000)).toBe(200);
      // on PORT neither request would even be accepted before this thread is free again
      expect(fetchWhileBlocked(`${healthUrl}/health/ready`, 0)).toBe(200);
      expect(fetchWhileBlocked(`${healthUrl}/health/ready`, READINESS_FRESH_MS + 500)).toBe(503); // no check for that long: not ready
      expect(fetchWhileBlocked(`${healthUrl}/health/live`, READINESS_FRESH_MS + 500)).toBe(200); // liveness allows 10 s
      expect(await until(async () => (await fetch(`${healthUrl}/health/ready`)).status, 200, 10_000)).toBe(200);
    }, 60_000);
  });
});
