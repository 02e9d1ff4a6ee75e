import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PoolClient } from 'pg';
import { EmbeddedDatabase, startEmbedded } from '../src/database/embedded';
import { migrate } from '../src/database/migrator';
import { PrismaService } from '../src/database/prisma.service';
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

async function timed(app: TestApp): Promise<{ status: number; ms: number }> {
  const started = performance.now();
  const { status } = await app.call('GET', '/health/ready');
  return { status, ms: performance.now() - started };
}

async function until(read: () => Promise<number>, wanted: number, withinMs: number): Promise<number> {
  const deadline = Date.now() + withinMs;
  let value = await read();
  while (value !== wanted && Date.now() < deadline) {
    await sleep(100);
    value = await read();
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
    await db.start();
    expect(await until(async () => (await timed(app)).status, 200, 10_000)).toBe(200);
  }, 60_000);
});
