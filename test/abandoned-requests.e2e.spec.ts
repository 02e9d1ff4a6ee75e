import { randomBytes } from 'node:crypto';
import { request, type ClientRequest } from 'node:http';
import { Client } from 'pg';
import type { Role } from '../src/auth/roles';
import { rootLogger } from '../src/logging/logger';
import { TestApp } from './support/app';
import { createTicket, gangguan, registerUnits } from './support/fixtures';

// Issue 14 point 18: the query of a request whose client went away is cancelled, its pool connection
// returned, and the request recorded as 499 "client went away" (info), never as an error or a 5xx.
//
// A statement is made slow by a lock the test holds in its own transaction, never by a path of the
// service. Here the page's own statement is the one that must wait (the list's change marker is read
// first, and its cancel is tested in overload.e2e.spec.ts), so the list, lookups and feed are stopped
// by the TOAST index of one ticket's long description: only a statement that outputs that description
// waits. The reports wait on the units table.
const POOL = 2;
const WAIT_MS = 10_000; // bounded polling; each wait ends as soon as its condition holds

const SLOW = { name: 'Lambat Sekali', phone: '081370000001', idPel: '570000000001' };
const QUICK = { name: 'Cepat Sekali', phone: '081370000002', idPel: '570000000002' };

describe('issue 14 point 18: a request whose client went away', () => {
  let app: TestApp;
  let monitor: Client; // reads pg_stat_activity
  let blocker: Client; // holds the lock in an open transaction
  let toastIndex: string;

  beforeAll(async () => {
    const setup = await TestApp.start();
    await registerUnits(setup, '542');
    const slow = await createTicket(setup, gangguan({ customer: SLOW }));
    await createTicket(setup, gangguan({ customer: QUICK }));
    await setup.close({ dropDatabase: false });
    monitor = new Client({ connectionString: setup.databaseUrl });
    blocker = new Client({ connectionString: setup.databaseUrl });
    await Promise.all([monitor.connect(), blocker.connect()]);
    // Random text does not compress: stored out of line, read through the TOAST table's index. Written
    // before the service under test starts, so that its own change-feed poll never reads it.
    await monitor.query('UPDATE tickets SET description = $1 WHERE number = $2', [randomBytes(24_000).toString('base64'), slow.number]);
    const { rows } = await monitor.query<{ name: string }>(
      `SELECT i.indexrelid::regclass::text AS name FROM pg_class c JOIN pg_index i ON i.indrelid = c.reltoastrelid WHERE c.oid = 'tickets'::regclass`,
    );
    toastIndex = rows[0].name;
    // reads may hold every connection here (four fifths of 2 would be 1): the test is what abandoned reads give back
    app = await TestApp.start({ databaseUrl: setup.databaseUrl, config: { dbPoolSize: POOL, dbPoolWaitMs: 3000, maxConcurrentReads: POOL } });
  });

  afterAll(async () => {
    await Promise.all([monitor?.end(), blocker?.end()]);
    await app?.close();
  });

  afterEach(async () => {
    await blocker.query('ROLLBACK');
  });

  /** The pids of this database's backends waiting on a lock (the test's own sessions never wait). */
  async function waiting(): Promise<number[]> {
    const { rows } = await monitor.query<{ pid: number }>(
      `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active' AND wait_event_type = 'Lock' ORDER BY pid`,
    );
    return rows.map((r) => r.pid);
  }

  async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
    const deadline = Date.now() + WAIT_MS;
    let value = await read();
    while (!done(value) && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 25));
      value = await read();
    }
    return value;
  }

  /** A request from a raw HTTP client, which the test can drop without reading the answer. */
  async function start(role: Role, path: string, requestId: string): Promise<ClientRequest> {
    const token = await app.token(role);
    const req = request(app.baseUrl + path, { agent: false, headers: { authorization: `Bearer ${token}`, 'x-request-id': requestId } });
    req.on('error', () => undefined); // the test destroys it
    req.end();
    return req;
  }

  const holdToast = () => blocker.query(`BEGIN; REINDEX INDEX ${toastIndex}`); // ACCESS EXCLUSIVE on that index only
  const holdUnits = () => blocker.query('BEGIN; LOCK TABLE units IN ACCESS EXCLUSIVE MODE');

  it.each([
    ['the ticket list', 'admin', '/api/v1/tickets', holdToast, '/api/v1/tickets'],
    ['the customer history (R-L1)', 'cso', '/api/v1/customers/history?name=Lambat', holdToast, '/api/v1/customers/history'],
    ['the customer tickets (R-L3)', 'mobile', `/api/v1/customers/tickets?idPel=${SLOW.idPel}`, holdToast, '/api/v1/customers/tickets'],
    ['the change feed page (R-F1)', 'admin', '/api/v1/ticket-changes', holdToast, '/api/v1/ticket-changes'],
    ['the unit report (R-M2)', 'admin', '/api/v1/reports/units?from=2026-11-01&to=2026-11-30', holdUnits, '/api/v1/reports/units'],
    ['the indicator report (R-M3)', 'admin', '/api/v1/reports/indicators?month=2026-11', holdUnits, '/api/v1/reports/indicators'],
    ['the daily report (R-M4)', 'admin', '/api/v1/reports/daily?from=2026-11-01&to=2026-11-30', holdUnits, '/api/v1/reports/daily'],
  ] as const)('%s: its running query is cancelled and its connection returned to the pool', async (_name, role, path, hold, route) => {
    await hold();
    const requestId = `abandoned-${route.replace(/\W+/g, '-')}`;
    const level = rootLogger.level;
    rootLogger.level = 'info';
    const info = jest.spyOn(rootLogger, 'info').mockImplementation(() => undefined);
    const error = jest.spyOn(rootLogger, 'error').mockImplementation(() => undefined);
    const warn = jest.spyOn(rootLogger, 'warn').mockImplementation(() => undefined);
    try {
      const req = await start(role, path, requestId);
      const pids = await until(waiting, (p) => p.length > 0);
      expect(pids.length).toBeGreaterThan(0); // its statement runs, and waits for the lock

      req.destroy(); // the client goes away
      expect(await until(waiting, (p) => p.length === 0)).toEqual([]); // cancelled, although the lock is still held
      // the same connections, kept for the pool (idle, or already serving the service's next statement)
      const { rows } = await monitor.query<{ pid: number }>('SELECT pid FROM pg_stat_activity WHERE pid = ANY($1) ORDER BY pid', [pids]);
      expect(rows.map((r) => r.pid)).toEqual(pids);

      const logged = await until(
        async () => info.mock.calls.filter(([fields]) => (fields as { reqId?: string })?.reqId === requestId),
        (calls) => calls.length > 0,
      );
      expect(logged).toEqual([[expect.objectContaining({ reqId: requestId, statusCode: 499, route }), 'client went away']]);
      const mentions = (spy: jest.SpyInstance) => spy.mock.calls.filter(([fields]) => (fields as { reqId?: string })?.reqId === requestId);
      expect(mentions(error)).toEqual([]);
      expect(mentions(warn)).toEqual([]);
    } finally {
      info.mockRestore();
      error.mockRestore();
      warn.mockRestore();
      rootLogger.level = level;
    }
    const metrics = (await app.call<string>('GET', '/metrics')).body;
    const counted = (status: string) => new RegExp(`http_request_duration_seconds_count\\{method="GET",route="${route}",status_code="${status}"\\} (\\d+)`).exec(metrics)?.[1];
    expect(counted('499')).toBe('1');
    expect(metrics).not.toMatch(new RegExp(`route="${route}",status_code="5\\d\\d"`));
  });

  it(`${POOL} abandoned lists leave the pool of ${POOL} free for the next request`, async () => {
    await holdToast();
    const requests = await Promise.all(Array.from({ length: POOL }, (_, i) => start('admin', '/api/v1/tickets?limit=10', `abandoned-pool-${i}`)));
    expect(await until(waiting, (p) => p.length === POOL)).toHaveLength(POOL); // every connection of the pool waits
    requests.forEach((r) => r.destroy());
    expect(await until(waiting, (p) => p.length === 0)).toEqual([]);
    // the lock is still held: an answer now comes from a connection the abandoned requests gave back
    const answer = await app.as('admin').get(`/api/v1/tickets?idPel=${QUICK.idPel}`);
    expect(answer.status).toBe(200);
    expect(answer.body.items.map((t: { customer: { idPel: string } }) => t.customer.idPel)).toEqual([QUICK.idPel]);
  });
});
