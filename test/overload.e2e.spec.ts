import type { PoolClient } from 'pg';
import { PrismaService } from '../src/database/prisma.service';
import { TestApp } from './support/app';
import { registerUnits } from './support/fixtures';

// Issue 14 point 18: overload is shed with 503 problem+json and Retry-After — a request waits at most
// DB_POOL_WAIT_MS for a connection, a statement runs at most DB_STATEMENT_TIMEOUT_MS — and readiness is
// answered from a connection of its own that load cannot starve.
describe('overload shedding', () => {
  const expect503 = (answer: { status: number; headers: Headers; body: any }) => {
    expect(answer.status).toBe(503);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.headers.get('retry-after')).toMatch(/^\d+$/);
    expect(answer.body).toMatchObject({ status: 503, type: expect.stringMatching(/service-unavailable$/) });
  };

  describe('pool wait limit (DB_POOL_WAIT_MS)', () => {
    let app: TestApp;
    let held: PoolClient[] = [];
    beforeAll(async () => {
      app = await TestApp.start({ config: { dbPoolSize: 2, dbPoolWaitMs: 1500 } }); // long enough to open a connection on a busy machine
      await registerUnits(app, '542');
    });
    afterAll(async () => {
      held.forEach((c) => c.release());
      await app.close();
    });

    it('answers 503 when no connection frees up in time, keeps /health/ready at 200, and serves once one does', async () => {
      const pool = app.app.get(PrismaService).pool;
      held = [await pool.connect(), await pool.connect()]; // the whole pool, as a burst of slow requests would hold it
      expect503(await app.as('admin').get('/api/v1/tickets'));
      expect503(await app.as('cso').post('/api/v1/escalations', { category: 'URGENT', note: 'antre' }, { headers: { 'idempotency-key': 'overload-1' } }));
      expect((await app.call('GET', '/health/ready')).status).toBe(200);
      held.forEach((c) => c.release());
      held = [];
      expect((await app.as('admin').get('/api/v1/tickets')).status).toBe(200);
      expect((await app.as('cso').post('/api/v1/escalations', { category: 'URGENT', note: 'antre' }, { headers: { 'idempotency-key': 'overload-1' } })).status).toBe(201);
    });
  });

  describe('statement timeout (DB_STATEMENT_TIMEOUT_MS)', () => {
    let app: TestApp;
    beforeAll(async () => {
      app = await TestApp.start({ config: { dbStatementTimeoutMs: 100 } });
      await registerUnits(app, '542');
    });
    afterAll(() => app.close());

    it('answers 503 to a request whose statement runs past the limit', async () => {
      const prisma = app.app.get(PrismaService);
      const blocker = await prisma.pool.connect();
      try {
        // a lock held elsewhere makes the list's statement wait past the timeout
        await blocker.query('BEGIN; LOCK TABLE tickets IN ACCESS EXCLUSIVE MODE');
        expect503(await app.as('admin').get('/api/v1/tickets'));
      } finally {
        await blocker.query('ROLLBACK');
        blocker.release();
      }
      expect((await app.as('admin').get('/api/v1/tickets')).status).toBe(200);
    });
  });
});
