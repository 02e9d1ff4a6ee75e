import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EmbeddedDatabase, startEmbedded } from '../src/database/embedded';
import { migrate } from '../src/database/migrator';
import { PrismaService, resilientPool } from '../src/database/prisma.service';
import { TestApp } from './support/app';
import { withClient } from './support/database';
import { gangguan, registerUnits } from './support/fixtures';

// Issue 14 points 16, 17 and 19: PostgreSQL stopped under load (fast shutdown: every connection gets
// FATAL 57P01) and started again. This file runs its own embedded server, so stopping it touches no
// other test file.
describe('database down under load', () => {
  let dir: string;
  let db: EmbeddedDatabase;
  let app: TestApp;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'apkt-fault-pg-'));
    await chmod(dir, 0o755); // the server runs as `postgres`
    db = await startEmbedded(join(dir, 'data'));
    await withClient(db.adminUrl, (c) => c.query('CREATE DATABASE apkt_faults'));
    await migrate(db.url('apkt_faults'));
    app = await TestApp.start({ databaseUrl: db.url('apkt_faults') });
    await registerUnits(app, '542');
  }, 120_000);
  afterAll(async () => {
    await app?.close({ dropDatabase: false });
    await db?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  it('keeps a listener on a checked-out connection that PostgreSQL ends (FATAL 57P01 before any query of its user)', async () => {
    const pool = resilientPool({ connectionString: db.url('apkt_faults'), max: 2 }, 'test');
    const client = await pool.connect(); // checked out: the pool's idle listener is gone, Prisma's not there yet
    const ended = new Promise((resolve) => client.once('end', resolve));
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    await withClient(db.adminUrl, (c) => c.query('SELECT pg_terminate_backend($1)', [rows[0].pid]));
    await ended; // the 'error' event has been emitted by now: without a listener the process would have died
    client.release(true);
    expect((await pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    await pool.end();
  }, 15_000);

  it('keeps the process up, answers 503 with Retry-After while down, and serves again after the restart without duplicates', async () => {
    const cso = await app.token('cso');
    let issuing = true;
    const statuses = new Map<number, number>();
    const done = new Map<string, number>(); // key → final status
    // One client: new requests while `issuing`; each answer other than 201 is retried with the same key and body.
    const client = async (id: number) => {
      for (let n = 0; issuing; n++) {
        const key = `fault-${id}-${n}`;
        const escalation = n % 2 === 0;
        const path = escalation ? '/api/v1/escalations' : '/api/v1/tickets';
        const body = escalation ? { category: 'URGENT', note: key } : gangguan({ description: key });
        const deadline = Date.now() + 45_000;
        for (;;) {
          const answer = await app
            .call('POST', path, body, { token: cso, headers: { 'idempotency-key': key } })
            .catch(() => ({ status: 0, headers: new Headers(), body: null }));
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          if (answer.status === 201 || Date.now() > deadline) {
            done.set(key, answer.status);
            break;
          }
          if (answer.status === 503) expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
          await sleep(100);
        }
      }
    };
    const clients = Promise.all(Array.from({ length: 32 }, (_, i) => client(i)));
    await sleep(500);
    await db.stop(); // FATAL 57P01 on every connection, in the middle of the burst
    const down = await app.as('cso').get('/api/v1/tickets');
    expect(down.status).toBe(503);
    expect(down.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(down.headers.get('retry-after')).toMatch(/^\d+$/);
    // API.md Operations: /metrics still answers, without the gauges read from the database (counted)
    const metrics = await app.call('GET', '/metrics');
    expect(metrics.status).toBe(200);
    const text = String(metrics.body);
    expect(text).toMatch(/^http_request_duration_seconds_count\{/m);
    expect(text).toMatch(/^process_cpu_user_seconds_total /m);
    expect(text).toMatch(/^apkt_tickets_open_over_sla |^apkt_metrics_gauge_read_failures_total\{gauge="apkt_tickets_open_over_sla"\} [1-9]/m);
    expect(down.body).toMatchObject({ status: 503, type: expect.stringMatching(/service-unavailable$/) });
    expect((await app.call('GET', '/health/ready')).status).toBe(503);

    await sleep(1000);
    await db.start();
    const restarted = Date.now();
    let ready = 0;
    while ((ready = (await app.call('GET', '/health/ready')).status) !== 200 && Date.now() - restarted < 10_000) await sleep(100);
    expect(ready).toBe(200);
    await sleep(500);
    issuing = false;
    await clients;

    expect({ statuses: Object.fromEntries(statuses), unfinished: [...done].filter(([, s]) => s !== 201) }).toEqual({ statuses: expect.not.objectContaining({ 500: expect.anything() }), unfinished: [] });
    const prisma = app.app.get(PrismaService);
    const escalationKeys = [...done.keys()].filter((k) => Number(k.split('-')[2]) % 2 === 0);
    const ticketKeys = [...done.keys()].filter((k) => Number(k.split('-')[2]) % 2 === 1);
    const escalations = await prisma.escalation.groupBy({ by: ['note'], _count: true, where: { note: { in: escalationKeys } } });
    const tickets = await prisma.ticket.groupBy({ by: ['description'], _count: true, where: { description: { in: ticketKeys } } });
    expect(escalations.filter((e) => e._count !== 1)).toEqual([]);
    expect(tickets.filter((t) => t._count !== 1)).toEqual([]);
    expect(escalations.length).toBe(escalationKeys.length);
    expect(tickets.length).toBe(ticketKeys.length);
  }, 120_000);

  it('answers 503 with Retry-After while the database refuses connections (not accepting them), and serves again after (stop 54 audit)', async () => {
    const token = await app.token('admin');
    expect((await app.call('GET', '/api/v1/units', undefined, { token })).status).toBe(200);
    await withClient(db.adminUrl, async (c) => {
      await c.query('ALTER DATABASE apkt_faults ALLOW_CONNECTIONS false');
      await c.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = 'apkt_faults' AND pid <> pg_backend_pid()`);
    });
    try {
      let answer = await app.call('GET', '/api/v1/units', undefined, { token });
      for (let i = 0; i < 20 && answer.status === 200; i++) answer = await app.call('GET', '/api/v1/units', undefined, { token }); // an idle connection ended may answer first
      expect([answer.status, answer.headers.get('retry-after'), answer.headers.get('content-type')]).toEqual([503, '5', 'application/problem+json; charset=utf-8']);
    } finally {
      await withClient(db.adminUrl, (c) => c.query('ALTER DATABASE apkt_faults ALLOW_CONNECTIONS true'));
    }
    let after = 0;
    for (let i = 0; i < 50 && (after = (await app.call('GET', '/api/v1/units', undefined, { token })).status) !== 200; i++) await sleep(100);
    expect(after).toBe(200);
  }, 30_000);
});
