import { Client } from 'pg';
import { HEARTBEAT_MS, ChangeStream } from '../src/changes/change-stream';
import { ChangesRepository } from '../src/changes/changes.repository';
import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { JobsService } from '../src/jobs/jobs.service';
import { autoCloseStatement } from '../src/tickets/sql/auto-close.sql';
import { TestApp } from './support/app';
import { createTicket, gangguan, registerUnits } from './support/fixtures';
import { seedTickets } from './support/seed';
import { EventStream } from './support/sse';

// DOMAIN.md §11 (R-F1…R-F4), API.md `GET /api/v1/ticket-changes` and `/stream`.
const FEED = '/api/v1/ticket-changes';
const numbers = (items: { number: string }[]) => items.map((t) => t.number);

describe('the change feed', () => {
  const clock = new FakeClock(new Date());
  let app: TestApp;
  let held: Client;

  beforeAll(async () => {
    app = await TestApp.start({ clock });
    await registerUnits(app, '542', '543');
    held = new Client({ connectionString: app.databaseUrl });
    await held.connect();
  });
  afterAll(async () => {
    await held.end();
    await app.close();
  });

  /** Reads the whole feed after `after` as `role`, page by page; the items and the last position. */
  async function follow(after: string | undefined, role: 'cso' | 'unit' = 'cso', unit?: string, query = '') {
    const items: any[] = [];
    let position = after;
    for (;;) {
      const answer = await app.as(role, unit).get(`${FEED}?limit=200${position ? `&after=${position}` : ''}${query}`);
      expect(answer.status).toBe(200);
      items.push(...answer.body.items);
      position = answer.body.position;
      if (answer.body.items.length < 200) return { items, position: position as string };
    }
  }

  describe('R-F1 position', () => {
    it('returns every ticket from the beginning in commit order, then nothing until something changes', async () => {
      const a = await createTicket(app, gangguan());
      const b = await createTicket(app, gangguan());
      const first = await follow(undefined);
      expect(numbers(first.items).slice(-2)).toEqual([a.number, b.number]);
      expect(first.items.at(-1)).toEqual(b); // the Ticket shape of API.md
      expect(typeof first.position).toBe('string');
      const again = await follow(first.position);
      expect(again.items).toEqual([]);
    });

    it('shows a ticket that changed several times between two reads once, as it is now', async () => {
      const start = (await follow(undefined)).position;
      const t = await createTicket(app, gangguan());
      const unit = app.as('unit', '542');
      expect((await unit.post(`/api/v1/tickets/${t.number}/status`, { status: 'PENUGASAN' })).status).toBe(200);
      expect((await unit.post(`/api/v1/tickets/${t.number}/status`, { status: 'PERJALANAN' })).status).toBe(200);
      const { items } = await follow(start);
      expect(numbers(items)).toEqual([t.number]);
      expect(items[0]).toMatchObject({ status: 'PERJALANAN', version: 3 });
    });

    it('pages with limit: each position continues right after the last item, no gap, no repeat', async () => {
      const start = (await follow(undefined)).position;
      const made = [];
      for (let i = 0; i < 5; i++) made.push((await createTicket(app, gangguan())).number);
      const seen: string[] = [];
      let position = start;
      for (let page = 0; page < 4; page++) {
        const answer = await app.as('cso').get(`${FEED}?limit=2&after=${position}`);
        seen.push(...numbers(answer.body.items));
        position = answer.body.position;
      }
      expect(seen).toEqual(made);
    });

    it('does not skip a transaction that changed a ticket before others committed but itself committed later', async () => {
      const slow = await createTicket(app, gangguan());
      const start = (await follow(undefined)).position;
      await held.query('BEGIN');
      await held.query(`UPDATE tickets SET description = 'diubah oleh transaksi lambat', version = version + 1 WHERE number = $1`, [slow.number]);
      const fast = await createTicket(app, gangguan()); // commits while the slow one is still open
      const meanwhile = await follow(start);
      expect(numbers(meanwhile.items)).toEqual([fast.number]); // the reader advances past it
      await held.query('COMMIT');
      const after = await follow(meanwhile.position);
      expect(numbers(after.items)).toEqual([slow.number]);
      expect(after.items[0].description).toBe('diubah oleh transaksi lambat');
    });

    it('never shows a change that was rolled back', async () => {
      const t = await createTicket(app, gangguan());
      const start = (await follow(undefined)).position;
      await held.query('BEGIN');
      await held.query(`UPDATE tickets SET description = 'batal' WHERE number = $1`, [t.number]);
      const mid = await follow(start);
      await held.query('ROLLBACK');
      const after = await follow(mid.position);
      expect([...mid.items, ...after.items]).toEqual([]);
    });

    it('does not skip a job batch that commits after a later request (R-J1 autoClose)', async () => {
      const prisma = app.app.get(PrismaService);
      const [due] = await seedTickets(prisma, { count: 1, unitCode: '542', kind: 'GANGGUAN', status: 'SELESAI', at: new Date(clock.now().getTime() - 60_000), firstSequence: 700000 });
      const other = await createTicket(app, gangguan());
      const start = (await follow(undefined)).position;
      await held.query('BEGIN');
      const batch = autoCloseStatement(clock.now(), 200);
      expect((await held.query(batch.text, batch.values)).rows[0].n).toBe(1); // closed, not committed
      clock.advance(1000);
      const request = await app.as('unit', '542').post(`/api/v1/tickets/${other.number}/status`, { status: 'PENUGASAN' });
      expect(request.status).toBe(200);
      const mid = await follow(start);
      expect(numbers(mid.items)).toEqual([other.number]);
      // polling the list by updatedAt from the request's change would never return the batch's older time
      const polled = await app.as('cso').get(`/api/v1/tickets?updatedSince=${encodeURIComponent(request.body.updatedAt)}&limit=200`);
      await held.query('COMMIT');
      const after = await follow(mid.position);
      expect(numbers(after.items)).toEqual([due]);
      expect(after.items[0]).toMatchObject({ status: 'DITUTUP', closeReason: 'NO_CONFIRMATION' });
      expect(numbers(polled.body.items)).not.toContain(due);
    });

    it('refuses a position the service never gave (400)', async () => {
      for (const after of ['nonsense', 'eyJ4Ijo1fQ.abc', '']) {
        const answer = await app.as('cso').get(`${FEED}?after=${after}`);
        expect(answer.status).toBe(400);
        expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
      }
      expect((await app.as('cso').get(`${FEED}?since=1`)).status).toBe(400);
      expect((await app.as('cso').get(`${FEED}?limit=0`)).status).toBe(400);
    });

    it('is open to cso, mobile, unit, backoffice and admin only', async () => {
      for (const role of ['cso', 'mobile', 'unit', 'backoffice', 'admin'] as const) expect((await app.as(role).get(FEED)).status).toBe(200);
      for (const role of ['listriqu', 'itsm'] as const) expect((await app.as(role).get(FEED)).status).toBe(403);
      expect((await app.call('GET', FEED)).status).toBe(401);
    });
  });

  describe('R-F2 scope', () => {
    it('a unit caller follows its own unit only; others may filter by unit', async () => {
      const start = (await follow(undefined)).position;
      const own = await createTicket(app, gangguan({ unitCode: '542' }));
      const other = await createTicket(app, gangguan({ unitCode: '543' }));
      expect(numbers((await follow(start, 'unit', '542')).items)).toEqual([own.number]);
      expect(numbers((await follow(start, 'unit', '542', '&unitCode=543')).items)).toEqual([own.number]);
      expect(numbers((await follow(start, 'cso', undefined, '&unitCode=543')).items)).toEqual([other.number]);
      expect(numbers((await follow(start)).items)).toEqual([own.number, other.number]);
      expect((await app.as('cso').get(`${FEED}?unitCode=5`)).status).toBe(400);
    });
  });

  describe('R-F3 push', () => {
    const streams: EventStream[] = [];
    const open = async (role: 'cso' | 'unit', unit?: string, lastEventId?: string, query = '') => {
      const stream = await EventStream.open(app.baseUrl, `${FEED}/stream${query}`, await app.token(role, unit), lastEventId);
      streams.push(stream);
      return stream;
    };
    afterEach(() => streams.splice(0).forEach((s) => s.close()));

    it('sends each change as `id`, `event: ticket` and the Ticket, only those committed after it opened', async () => {
      await createTicket(app, gangguan()); // before: not sent
      const stream = await open('cso');
      expect(stream.status).toBe(200);
      expect(stream.headers.get('content-type')).toMatch(/^text\/event-stream/);
      const t = await createTicket(app, gangguan());
      const [event] = await stream.take(1);
      expect(event.event).toBe('ticket');
      expect(JSON.parse(event.data)).toEqual(t);
      const same = await app.as('cso').get(`${FEED}?after=${event.id}`);
      expect(same.body.items).toEqual([]); // the id is a feed position
    });

    it('a unit caller streams its own unit only', async () => {
      const stream = await open('unit', '543', undefined, '?unitCode=542');
      await createTicket(app, gangguan({ unitCode: '542' }));
      const own = await createTicket(app, gangguan({ unitCode: '543' }));
      const [event] = await stream.take(1);
      expect(JSON.parse(event.data).number).toBe(own.number);
    });

    it('resumes with Last-Event-ID after a dropped connection: no gap, no repeat', async () => {
      const first = await open('cso');
      const t1 = await createTicket(app, gangguan());
      const t2 = await createTicket(app, gangguan());
      const before = await first.take(2);
      expect(before.map((e) => JSON.parse(e.data).number)).toEqual([t1.number, t2.number]);
      first.close();
      const t3 = await createTicket(app, gangguan());
      const t4 = await createTicket(app, gangguan());
      const resumed = await open('cso', undefined, before[1].id);
      const t5 = await createTicket(app, gangguan());
      const after = await resumed.take(3);
      expect(after.map((e) => JSON.parse(e.data).number)).toEqual([t3.number, t4.number, t5.number]);
      const t6 = await createTicket(app, gangguan());
      const [next] = await resumed.take(1);
      expect(JSON.parse(next.data).number).toBe(t6.number);
    });

    it('refuses a Last-Event-ID the service never gave (400)', async () => {
      const stream = await open('cso', undefined, 'forged');
      expect(stream.status).toBe(400);
    });

    it(`sends a comment line every ${HEARTBEAT_MS / 1000} s`, async () => {
      expect(HEARTBEAT_MS).toBe(15_000);
      const stream = await open('cso');
      await stream.comment(/connected/);
      app.app.get(ChangeStream).beat(); // what the 15 s timer calls
      await stream.comment(/heartbeat/);
      expect(stream.pending).toBe(0);
    });
  });

  describe('R-F4 cheap idle', () => {
    it('twenty dashboards cost one read per poll that saw a commit, not one each', async () => {
      const repository = app.app.get(ChangesRepository);
      const token = await app.token('cso');
      const streams = await Promise.all(Array.from({ length: 20 }, () => EventStream.open(app.baseUrl, `${FEED}/stream`, token)));
      await createTicket(app, gangguan()); // the streams' groups meet at one position
      await Promise.all(streams.map((s) => s.take(1)));
      const reads = jest.spyOn(repository, 'window');
      const t = await createTicket(app, gangguan());
      const events = await Promise.all(streams.map((s) => s.take(1)));
      expect(events.map((e) => JSON.parse(e[0].data).number)).toEqual(streams.map(() => t.number));
      expect(reads.mock.calls.length).toBeLessThanOrEqual(5); // a read per poll that saw a commit (any database's), not one per stream
      reads.mockRestore();
      streams.forEach((s) => s.close());
      // every closed stream leaves its group, also after the groups met (nothing is written to a closed socket)
      const hub = app.app.get(ChangeStream);
      const deadline = Date.now() + 5_000;
      while (hub.streams > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(hub.streams).toBe(0);
    });
  });
});

describe('R-F3 across replicas', () => {
  it('a change made through one replica reaches a stream connected to the other', async () => {
    const one = await TestApp.start();
    const two = await TestApp.start({ databaseUrl: one.databaseUrl });
    try {
      await registerUnits(one, '542');
      const stream = await EventStream.open(two.baseUrl, `${FEED}/stream`, await two.token('backoffice'));
      const t = await createTicket(one, gangguan());
      const [event] = await stream.take(1);
      expect(JSON.parse(event.data).number).toBe(t.number);
      stream.close();
    } finally {
      await two.close({ dropDatabase: false });
      await one.close();
    }
  });

  it("the list's 304 on one replica ends once the other replica changes the unit (the marker follows the shared poll)", async () => {
    const one = await TestApp.start();
    const two = await TestApp.start({ databaseUrl: one.databaseUrl });
    try {
      await registerUnits(one, '542');
      await createTicket(one, gangguan());
      const dashboard = two.as('unit', '542');
      const first = await dashboard.get('/api/v1/tickets');
      const etag = first.headers.get('etag') as string;
      expect((await dashboard.get('/api/v1/tickets', { headers: { 'if-none-match': etag } })).status).toBe(304);
      const t = await createTicket(one, gangguan());
      const deadline = Date.now() + 5_000;
      let answer = await dashboard.get('/api/v1/tickets', { headers: { 'if-none-match': etag } });
      while (answer.status === 304 && Date.now() < deadline) answer = await dashboard.get('/api/v1/tickets', { headers: { 'if-none-match': etag } });
      expect(answer.status).toBe(200);
      expect(numbers(answer.body.items)).toContain(t.number);
    } finally {
      await two.close({ dropDatabase: false });
      await one.close();
    }
  });
});

describe('updatedAt does not go backwards where it can', () => {
  it('a request takes its time once it holds the ticket, not before waiting for the lock', async () => {
    const clock = new FakeClock(new Date());
    const app = await TestApp.start({ clock });
    const locker = new Client({ connectionString: app.databaseUrl });
    await locker.connect();
    try {
      await registerUnits(app, '542');
      const t = await createTicket(app, gangguan());
      await locker.query('BEGIN');
      await locker.query('SELECT 1 FROM tickets WHERE number = $1 FOR UPDATE', [t.number]);
      const move = app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'PENUGASAN' });
      // until the request is queued on the row lock (a wait for its I/O, not for the clock). Inside the
      // locker's transaction pg_stat_activity is a snapshot taken at its first read: clear it each time,
      // or a first look taken before the request arrived is seen for ever.
      const queued = async () => {
        await locker.query('SELECT pg_stat_clear_snapshot()');
        return (await locker.query(`SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`)).rowCount;
      };
      while (!(await queued())) await new Promise((r) => setImmediate(r));
      clock.advance(5_000);
      await locker.query('COMMIT');
      const answer = await move;
      expect(answer.status).toBe(200);
      expect(answer.body.updatedAt).toBe(clock.now().toISOString());
    } finally {
      await locker.end();
      await app.close();
    }
  });


  it('a job takes a fresh time for each batch (R-J1 autoClose of more than one batch)', async () => {
    const clock = new FakeClock(new Date());
    const app = await TestApp.start({ clock });
    try {
      await registerUnits(app, '542');
      await seedTickets(app.app.get(PrismaService), { count: 250, unitCode: '542', kind: 'GANGGUAN', status: 'SELESAI', at: new Date(clock.now().getTime() - 60_000) });
      const started = clock.now();
      await app.app.get(JobsService).run('autoClose', () => clock.advance(5_000));
      const rows = await app.app.get(PrismaService).ticket.findMany({ where: { status: 'DITUTUP' }, select: { updatedAt: true } });
      const times = new Set(rows.map((r) => r.updatedAt.getTime()));
      expect(rows).toHaveLength(250);
      expect([...times].sort()).toEqual([started.getTime(), started.getTime() + 5_000]);
    } finally {
      await app.close();
    }
  });
});
