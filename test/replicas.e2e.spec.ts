import { createServer, connect as connectTcp, type Server, type Socket } from 'node:net';
import type { Client } from 'pg';
import { FakeClock } from '../src/clock/clock';
import { CHECK_MS, ReadRouter } from '../src/database/read-router';
import { TestApp } from './support/app';
import { gangguan, registerUnits } from './support/fixtures';
import { PrismaService } from '../src/database/prisma.service';
import { connect, type Replicated, startPgBouncer, startReplicated, until } from './support/replica';

// DOMAIN.md §19 (R-D1) against a real streaming replica of a real primary (test/support/replica.ts).
const MAX_LAG_MS = 1000;
const FEED = '/api/v1/ticket-changes';

describe('R-D1 reading from replicas', () => {
  const clock = new FakeClock(new Date());
  let cluster: Replicated;
  let app: TestApp;
  let router: ReadRouter;
  let held: Client;
  let writer: string;
  let other: string;

  beforeAll(async () => {
    cluster = await startReplicated();
    app = await TestApp.start({ clock, databaseUrl: cluster.primaryUrl, config: { databaseReplicaUrls: [cluster.replicaUrl], replicaMaxLagMs: MAX_LAG_MS } });
    router = app.app.get(ReadRouter);
    await registerUnits(app, '542');
    held = await connect(cluster.primaryUrl);
    writer = await app.token('cso', undefined, 'cso-writer');
    other = await app.token('cso', undefined, 'cso-other');
  });
  afterAll(async () => {
    await held?.end();
    await app?.close({ dropDatabase: false });
    await cluster?.stop();
  });

  /** Which databases answered the reads `work` made, and its result. */
  async function served<T>(work: () => Promise<T>): Promise<[T, string[]]> {
    const before = new Map(router.served);
    const result = await work();
    return [result, [...router.served].filter(([name, n]) => n > (before.get(name) ?? 0)).map(([name]) => name)];
  }

  /** The replica has everything the primary had flushed at the last check, and a check says so. */
  const settled = () => until(async () => (await router.check(), router.state()[0].caughtUp && router.state()[0].usable), 15_000, 'the replica to catch up');
  const pauseReplay = () => cluster.replica.query('SELECT pg_wal_replay_pause()');
  const resumeReplay = () => cluster.replica.query('SELECT pg_wal_replay_resume()');
  const list = (token: string) => app.call('GET', '/api/v1/tickets?limit=200', undefined, { token });
  const create = async (token: string) => {
    const answer = await app.call('POST', '/api/v1/tickets', gangguan(), { token });
    expect(answer.status).toBe(201);
    return answer.body.number as string;
  };
  const numbers = (answer: { body: { items: { number: string }[] } }) => answer.body.items.map((t) => t.number);

  it('builds a streaming replica that replays the primary', async () => {
    const rows = (await cluster.replica.query('SELECT pg_is_in_recovery() AS standby, count(*)::int AS units FROM units')) as { standby: boolean; units: number }[];
    await settled();
    expect(rows[0].standby).toBe(true);
    const [answer, by] = await served(() => list(other));
    expect(answer.status).toBe(200);
    expect(by).toEqual(['replica-1']);
    const metrics = await (await fetch(`${app.baseUrl}/metrics`)).text();
    expect(metrics).toMatch(/apkt_replica_usable\{replica="replica-1"\} 1/);
    expect(metrics).toMatch(/apkt_replica_lag_seconds\{replica="replica-1"\} 0/);
  });

  it('R-D1 read your writes: the writer reads from the primary until the replica has its write, another caller reads the replica', async () => {
    await settled();
    await pauseReplay();
    const made = await create(writer);
    await router.check();
    const [mine, mineBy] = await served(() => list(writer));
    expect(mineBy).toEqual(['primary']);
    expect(numbers(mine)).toContain(made);
    const [theirs, theirsBy] = await served(() => list(other));
    expect(theirsBy).toEqual(['replica-1']); // not late by the clock: still usable, and stale
    expect(numbers(theirs)).not.toContain(made);
    await resumeReplay();
    await settled();
    const [again, againBy] = await served(() => list(writer));
    expect(againBy).toEqual(['replica-1']);
    expect(numbers(again)).toContain(made);
  });

  it('R-D1 the lookups and reports follow the same rule', async () => {
    await settled();
    await pauseReplay();
    await create(writer);
    await router.check();
    const month = clock.now().toISOString().slice(0, 7);
    // the reports are an admin's: the same person (sub) under another role
    const [writerAdmin, otherAdmin] = await Promise.all([app.token('admin', undefined, 'cso-writer'), app.token('admin', undefined, 'cso-other')]);
    const reads: [string, string, string][] = [
      ['/api/v1/customers/history?idPel=512345678901', writer, other],
      [`/api/v1/reports/indicators?month=${month}`, writerAdmin, otherAdmin],
      [`/api/v1/reports/units?from=${month}-01&to=${month}-02`, writerAdmin, otherAdmin],
    ];
    try {
      for (const [path, mineToken, theirToken] of reads) {
        const [mine, mineBy] = await served(() => app.call('GET', path, undefined, { token: mineToken }));
        expect([path, mine.status, mineBy]).toEqual([path, 200, ['primary']]);
        const [theirs, theirsBy] = await served(() => app.call('GET', path, undefined, { token: theirToken }));
        expect([path, theirs.status, theirsBy]).toEqual([path, 200, ['replica-1']]);
      }
    } finally {
      await resumeReplay();
    }
  });

  it('R-D1 a replica later than REPLICA_MAX_LAG_MS is skipped, and used again once it has caught up', async () => {
    await settled();
    await pauseReplay();
    const made = await create(writer);
    await router.check();
    clock.advance(MAX_LAG_MS + 500);
    await router.check();
    expect(router.state()[0]).toMatchObject({ up: true, usable: false });
    expect(router.state()[0].lagMs).toBeGreaterThan(MAX_LAG_MS);
    const [theirs, by] = await served(() => list(other));
    expect(by).toEqual(['primary']);
    expect(numbers(theirs)).toContain(made);
    await resumeReplay();
    await settled();
    expect((await served(() => list(other)))[1]).toEqual(['replica-1']);
  });

  it('R-D1 a replica is skipped while its measured lag is still under REPLICA_MAX_LAG_MS when it could pass it before the next check (stop 54 audit)', async () => {
    await settled();
    await pauseReplay();
    try {
      await create(writer);
      await router.check();
      clock.advance(MAX_LAG_MS - 2 * CHECK_MS + 100); // measured lag ~100 ms; its changes may be a period older, and it grows a period more
      await router.check();
      expect(router.state()[0].lagMs).toBeLessThan(MAX_LAG_MS);
      expect(router.state()[0]).toMatchObject({ up: true, usable: false });
    } finally {
      await resumeReplay();
    }
  });

  it('R-D1 a replica that is down is skipped; with none left the primary answers and readiness is unaffected', async () => {
    await settled();
    await cluster.replica.stop();
    // before a check notices, the read fails on the replica and runs again on the primary (unless the
    // timer's check came first: then the primary alone); either way the caller gets its answer
    const [first, firstBy] = await served(() => list(other));
    expect(first.status).toBe(200);
    expect(firstBy).toContain('primary');
    await router.check();
    expect(router.state()[0]).toMatchObject({ up: false, usable: false });
    const [answer, by] = await served(() => list(other));
    expect(answer.status).toBe(200);
    expect(by).toEqual(['primary']);
    expect((await fetch(`${app.baseUrl}/health/ready`)).status).toBe(200);
    await cluster.replica.start();
    await settled();
    expect((await served(() => list(other)))[1]).toEqual(['replica-1']);
  });

  it('R-D1 reads already sent to a replica that hangs, and reads waiting for its stuck connections, are answered by the primary once the check finds it gone (stop 54 audit)', async () => {
    const relay = await hangingRelay(cluster.replicaUrl);
    const relayed = relay.url;
    // a statement timeout far past this test's own: a read left to its query_timeout would fail the test by time
    const hung = await TestApp.start({ clock, databaseUrl: cluster.primaryUrl, config: { databaseReplicaUrls: [relayed.toString()], replicaMaxLagMs: MAX_LAG_MS, dbStatementTimeoutMs: 120_000, dbPoolSize: 3 } });
    try {
      const hungRouter = hung.app.get(ReadRouter);
      await until(async () => (await hungRouter.check(), hungRouter.state()[0].usable), 15_000, 'the relayed replica to be usable');
      const token = await hung.token('cso', undefined, 'cso-hung-2');
      const listed = () => hung.call('GET', '/api/v1/tickets?limit=5', undefined, { token });
      for (let i = 0; i < 3; i++) expect((await listed()).status).toBe(200);
      relay.hang();
      // 8 reads on a pool of 3: three sent to the hung replica, five waiting for its connections
      const answers = Promise.all(Array.from({ length: 8 }, () => listed()));
      await hungRouter.check(); // the probe times out: the replica is down, its busy connections ended
      expect((await answers).map((a) => a.status)).toEqual(Array(8).fill(200));
      expect(hungRouter.state()[0]).toMatchObject({ up: false, usable: false });
    } finally {
      await hung.close({ dropDatabase: false });
      relay.close();
    }
  }, 40_000);

  it('R-D1 a replica that stops answering without closing (a host gone from the network) is skipped too: no read waits on it for ever', async () => {
    const relay = await hangingRelay(cluster.replicaUrl);
    const relayed = relay.url;
    const hung = await TestApp.start({ clock, databaseUrl: cluster.primaryUrl, config: { databaseReplicaUrls: [relayed.toString()], replicaMaxLagMs: MAX_LAG_MS, dbStatementTimeoutMs: 1500 } });
    try {
      const hungRouter = hung.app.get(ReadRouter);
      await until(async () => (await hungRouter.check(), hungRouter.state()[0].usable), 15_000, 'the relayed replica to be usable');
      const token = await hung.token('cso', undefined, 'cso-hung');
      const listed = () => hung.call('GET', '/api/v1/tickets?limit=5', undefined, { token });
      for (let i = 0; i < 5; i++) expect((await listed()).status).toBe(200); // connections to the replica open and kept
      expect(hungRouter.served.get('replica-1')).toBeGreaterThan(0);
      relay.hang();
      // reads on the hung replica end at the statement timeout and its grace, then run on the primary
      const answers = await Promise.all(Array.from({ length: 8 }, () => listed()));
      expect(answers.map((a) => a.status)).toEqual(Array(8).fill(200));
      await hungRouter.check();
      expect(hungRouter.state()[0]).toMatchObject({ up: false, usable: false });
      expect((await listed()).status).toBe(200);
    } finally {
      await hung.close({ dropDatabase: false });
      relay.close();
    }
  });

  describe('R-F1 the change feed across a switch between primary and replica', () => {
    /** Reads the feed after `after` to its end, page by page (limit 2: switches fall inside windows too). */
    async function follow(after: string | undefined, token = other) {
      const items: { number: string; version: number; description: string }[] = [];
      const by = new Set<string>();
      let position = after;
      for (;;) {
        const [answer, names] = await served(() => app.call('GET', `${FEED}?limit=2${position ? `&after=${position}` : ''}`, undefined, { token }));
        expect(answer.status).toBe(200);
        names.forEach((n) => by.add(n));
        items.push(...answer.body.items);
        position = answer.body.position;
        if (answer.body.items.length < 2) return { items, position: position as string, by: [...by] };
      }
    }

    it('never skips or repeats a change whichever database answers, a slow transaction included', async () => {
      await settled();
      const start = await follow(undefined);
      expect(start.by).toContain('replica-1');
      const seen: { number: string; version: number; description: string }[] = [];
      const expected: string[] = [];
      const step = async () => {
        const read = await follow(position);
        seen.push(...read.items);
        position = read.position;
        return read.by;
      };
      let position = start.position;

      // 1. on the replica, with a transaction in progress on the primary that began before others committed
      const slow = await create(writer);
      expected.push(slow);
      await settled();
      await step();
      await held.query('BEGIN');
      await held.query(`UPDATE tickets SET description = 'diubah oleh transaksi lambat', version = version + 1 WHERE number = $1`, [slow]);
      for (let i = 0; i < 3; i++) expected.push(await create(writer));
      await settled();
      expect(await step()).toEqual(['replica-1']);

      // 2. the replica stops replaying and falls behind: the primary answers; the slow transaction commits meanwhile
      await pauseReplay();
      await held.query('COMMIT');
      for (let i = 0; i < 3; i++) expected.push(await create(writer));
      await router.check();
      clock.advance(MAX_LAG_MS + 500);
      await router.check();
      expect(await step()).toEqual(['primary']);

      // 3. back on the replica once it caught up, then on the primary again when it goes away
      await resumeReplay();
      for (let i = 0; i < 2; i++) expected.push(await create(writer));
      await settled();
      expect(await step()).toContain('replica-1');
      expected.push(await create(writer));
      await settled();
      await cluster.replica.stop();
      await router.check();
      expected.push(await create(writer));
      expect(await step()).toEqual(['primary']);
      await cluster.replica.start();
      await settled();
      expect(await step()).toEqual(['replica-1']);

      // every change once: each (ticket, version) at most once, every ticket's last change present
      const keys = seen.map((t) => `${t.number}@${t.version}`);
      expect(new Set(keys).size).toBe(keys.length);
      expect([...new Set(seen.map((t) => t.number))].sort()).toEqual([...expected].sort());
      const last = seen.filter((t) => t.number === slow).at(-1);
      expect(last?.description).toBe('diubah oleh transaksi lambat');
    });

    it('a standby’s own pg_current_snapshot() does not list the transactions still running on the primary (why the feed never closes a window at one)', async () => {
      await settled();
      await held.query('BEGIN');
      const { rows } = await held.query<{ xid: string }>(`UPDATE units SET name = name WHERE code = '542' RETURNING pg_current_xact_id()::text AS xid`);
      try {
        const { xid } = rows[0];
        await create(writer); // a later commit flushes the running transaction's WAL too: the standby learns of its id
        const primary = await app.app.get(ReadRouter).primary.pool.query<{ visible: boolean }>(`SELECT pg_visible_in_snapshot($1::xid8, pg_current_snapshot()) AS visible`, [xid]);
        expect(primary.rows[0].visible).toBe(false);
        await until(async () => {
          const [r] = (await cluster.replica.query(`SELECT pg_xact_status('${xid}'::xid8) AS status, pg_visible_in_snapshot('${xid}'::xid8, pg_current_snapshot()) AS visible`)) as { status: string; visible: boolean }[];
          return r.status === 'in progress' && r.visible; // running there too, yet "visible" in its snapshot
        }, 5000, 'the standby to know the running transaction');
      } finally {
        await held.query('ROLLBACK');
      }
    });
  });

  describe('PgBouncer (transaction pooling, 1.18) between the service and the primary', () => {
    let bouncer: { url: string; stop(): Promise<void> };
    let pooled: TestApp;

    beforeAll(async () => {
      bouncer = await startPgBouncer(cluster.primaryUrl, 2);
      pooled = await TestApp.start({ clock, databaseUrl: bouncer.url, config: { databaseDirectUrl: cluster.primaryUrl, dbPoolSize: 8 } });
    });
    afterAll(async () => {
      await pooled?.close({ dropDatabase: false });
      await bouncer?.stop();
    });

    it('loses a named prepared statement when the next statement lands on another server connection (why none is sent through it)', async () => {
      const [a, b, c] = await Promise.all([connect(bouncer.url), connect(bouncer.url), connect(bouncer.url)]);
      try {
        const named = { name: 'apkt_probe', text: 'SELECT $1::int AS n', values: [1] };
        await a.query('BEGIN');
        await a.query('SELECT 1'); // holds server connection 1
        await b.query(named); // prepared on server connection 2
        await c.query('BEGIN');
        await c.query('SELECT 1'); // now holds server connection 2
        await a.query('COMMIT'); // frees connection 1: b's next statement runs there
        await expect(b.query(named)).rejects.toThrow(/prepared statement "apkt_probe" does not exist/);
        await c.query('COMMIT');
      } finally {
        await Promise.all([a.end(), b.end(), c.end()]);
      }
    });

    it('serves creates, moves, idempotent replays, lists, lookups, the feed and reports through it', async () => {
      const cso = await pooled.token('cso', undefined, 'pooled-cso');
      const made = await Promise.all(
        Array.from({ length: 24 }, (_, i) => pooled.call('POST', '/api/v1/tickets', gangguan(), { token: cso, headers: { 'idempotency-key': `pooled-${i}` } })),
      );
      expect(made.map((a) => a.status)).toEqual(made.map(() => 201));
      const replay = await pooled.call('POST', '/api/v1/tickets', gangguan(), { token: cso, headers: { 'idempotency-key': 'pooled-3' } });
      expect([replay.status, replay.headers.get('idempotent-replayed'), replay.body.number]).toEqual([201, 'true', made[3].body.number]);
      const unit = pooled.as('unit', '542');
      const moves = await Promise.all(made.slice(0, 8).map((a) => unit.post(`/api/v1/tickets/${a.body.number}/status`, { status: 'PENUGASAN' })));
      expect(moves.map((a) => a.status)).toEqual(moves.map(() => 200));
      const month = clock.now().toISOString().slice(0, 7);
      const admin = pooled.as('admin');
      for (const read of [
        () => pooled.as('cso').get('/api/v1/tickets?limit=50'),
        () => pooled.as('cso').get('/api/v1/customers/history?idPel=512345678901'),
        () => pooled.as('cso').get(`${FEED}?limit=50`),
        () => admin.get(`/api/v1/reports/indicators?month=${month}`),
      ]) {
        const answers = await Promise.all(Array.from({ length: 6 }, read));
        expect(answers.map((a) => a.status)).toEqual(answers.map(() => 200));
      }
    });

    it('keeps DB_STATEMENT_TIMEOUT_MS on the pooled connections through connect_query', async () => {
      const { rows } = await pooled.app.get(PrismaService).pool.query<{ statement_timeout: string }>('SHOW statement_timeout');
      expect(rows[0].statement_timeout).toBe('20s');
    });
  });
});

/**
 * A TCP relay to `replicaUrl` on a free port (`url`: the replica's URL through it). Once `hang()` is called
 * it keeps every connection open and passes nothing on: a replica host gone from the network.
 */
async function hangingRelay(replicaUrl: string): Promise<{ url: URL; hang: () => void; close: () => void }> {
  const target = new URL(replicaUrl);
  let hung = false;
  const sockets = new Set<Socket>();
  const relay: Server = createServer((inbound) => {
    const outbound = connectTcp(Number(target.port), target.hostname);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    inbound.on('data', (chunk) => !hung && outbound.write(chunk));
    outbound.on('data', (chunk) => !hung && inbound.write(chunk));
  });
  await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
  const url = new URL(replicaUrl);
  url.port = String((relay.address() as { port: number }).port);
  return {
    url,
    hang: () => (hung = true),
    close: () => {
      for (const s of sockets) s.destroy();
      relay.close();
    },
  };
}
