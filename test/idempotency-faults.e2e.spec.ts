import type { Pool } from 'pg';
import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { TestApp } from './support/app';
import { gangguan, registerUnits } from './support/fixtures';

// Issue 14 points 13 and 17: the answer of a POST is committed with its work. A fault injected where the
// answer used to be stored on its own (after the work had committed) must not let a retry — even one
// after the 60 s a stale claim is kept — do the work a second time.
describe('Idempotency-Key: the answer commits with the work', () => {
  const clock = new FakeClock(new Date('2026-11-23T01:00:00Z'));
  let app: TestApp;
  let prisma: PrismaService;
  let failures = 0;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    prisma = app.app.get(PrismaService);
    await registerUnits(app, '542');
    // the fault: every statement that stores an answer apart from the work fails while `failures` > 0
    const pool: Pool = prisma.pool;
    const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<unknown>;
    (pool as unknown as { query: unknown }).query = (config: unknown, ...rest: unknown[]) => {
      const text = typeof config === 'string' ? config : (config as { text?: string })?.text;
      if (failures > 0 && /^UPDATE idempotency_keys SET status_code/.test(text ?? '')) {
        failures--;
        return Promise.reject(new Error('injected fault: the answer could not be stored'));
      }
      return query(config, ...rest);
    };
  });
  afterAll(() => app.close());

  /** The first attempt under the fault, then a retry 61 s later (past the claim's lock), same key and body. */
  const attemptTwice = async (path: string, body: unknown, key: string, role: 'cso' | 'unit' = 'cso') => {
    failures = 1;
    const first = await app.as(role).post(path, body, { headers: { 'idempotency-key': key } });
    failures = 0;
    clock.advance(61_000);
    const retry = await app.as(role).post(path, body, { headers: { 'idempotency-key': key } });
    return { first, retry };
  };

  it('one escalation for one key (POST /escalations)', async () => {
    const { first, retry } = await attemptTwice('/api/v1/escalations', { category: 'URGENT', note: 'kunci-eskalasi' }, 'fault-escalation');
    expect(retry.status).toBe(201);
    if (first.status === 201) expect(retry.body).toEqual(first.body);
    expect(await prisma.escalation.count({ where: { note: 'kunci-eskalasi' } })).toBe(1);
  });

  it('one update note for one key (POST /tickets/{number}/updates)', async () => {
    const ticket = (await app.as('cso').post('/api/v1/tickets', gangguan())).body;
    const { retry } = await attemptTwice(`/api/v1/tickets/${ticket.number}/updates`, { note: 'Pelanggan menanyakan progres' }, 'fault-update');
    expect(retry.status).toBe(201);
    expect((await prisma.ticket.findUniqueOrThrow({ where: { number: ticket.number } })).updateCount).toBe(1);
  });

  it('one new ticket for one re-report key (POST /tickets/{number}/re-reports)', async () => {
    const ticket = (await app.as('cso').post('/api/v1/tickets', gangguan({ description: 'lapor ulang kunci' }))).body;
    const before = await prisma.ticket.count();
    const { retry } = await attemptTwice(`/api/v1/tickets/${ticket.number}/re-reports`, { note: 'masih padam' }, 'fault-rereport');
    expect(retry.status).toBe(201);
    const made = (await prisma.ticket.count()) - before;
    expect(made).toBeLessThanOrEqual(1); // UPDATE_LAPOR changes the ticket, a Lapor Ulang makes one: never two
    expect((await prisma.ticket.findUniqueOrThrow({ where: { number: ticket.number } })).updateCount).toBeLessThanOrEqual(1);
  });

  it('R-L4: one rating for one key (POST /tickets/{number}/rating): the retry replays 201, not the 409 of a second rating', async () => {
    const ticket = (await app.as('cso').post('/api/v1/tickets', gangguan({ description: 'rating kunci' }))).body;
    await prisma.ticket.update({ where: { number: ticket.number }, data: { status: 'NYALA' } });
    const { first, retry } = await attemptTwice(`/api/v1/tickets/${ticket.number}/rating`, { score: 5 }, 'fault-rating');
    expect(retry.status).toBe(201);
    if (first.status === 201) expect(retry.body).toEqual(first.body);
    expect(await prisma.ticketEvent.count({ where: { ticketNumber: ticket.number, type: 'RATED' } })).toBe(1);
  });

  describe('R-O1, R-O2 outages', () => {
    const declare = { unitCode: '542', title: 'Penyulang kunci', cause: 'Pohon tumbang', area: 'Desa Sukamaju', etr: null };

    it('one outage for one key (POST /outages)', async () => {
      const { retry } = await attemptTwice('/api/v1/outages', declare, 'fault-outage', 'unit');
      expect(retry.status).toBe(201);
      expect(await prisma.outage.count({ where: { title: 'Penyulang kunci' } })).toBe(1);
    });

    it('one attach and one status move for their keys: the retries replay 200 and 202', async () => {
      const outage = (await app.as('unit').post('/api/v1/outages', { ...declare, title: 'Penyulang kunci 2' })).body;
      const ticket = (await app.as('cso').post('/api/v1/tickets', gangguan({ description: 'padam meluas kunci' }))).body;
      const attach = await attemptTwice(`/api/v1/outages/${outage.id}/tickets`, { numbers: [ticket.number] }, 'fault-attach', 'unit');
      expect(attach.retry.status).toBe(200);
      expect(attach.retry.body).toEqual({ attached: [ticket.number], refused: [] });
      const move = await attemptTwice(`/api/v1/outages/${outage.id}/status`, { status: 'PERJALANAN' }, 'fault-outage-status', 'unit');
      expect(move.retry.status).toBe(202);
      expect(move.retry.body).toMatchObject({ status: 'PERJALANAN', version: 2 });
      expect(await prisma.outageMove.count({ where: { outageId: outage.id, kind: 'STATUS' } })).toBe(1);
    });
  });
});
