import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { EscalationService } from '../src/escalation/escalation.service';
import { JobsService } from '../src/jobs/jobs.service';
import { TestApp } from './support/app';

// §5 Escalation queue (R-E1…R-E3) and R-J4, over HTTP against a real PostgreSQL.
describe('escalation queue', () => {
  const T0 = new Date('2026-11-23T01:00:00.000Z');
  const LEASE_MS = 900000;
  const TICKET = 'G5422026000001';
  const clock = new FakeClock(T0);
  let app: TestApp;
  let prisma: PrismaService;
  let service: EscalationService;

  beforeAll(async () => {
    app = await TestApp.start({ clock });
    prisma = app.app.get(PrismaService);
    service = app.app.get(EscalationService);
    await prisma.unit.create({ data: { code: '542', name: 'UP3 Test', createdAt: T0, updatedAt: T0 } });
    await prisma.ticket.create({
      data: {
        number: TICKET,
        kind: 'GANGGUAN',
        unitCode: '542',
        channel: 'CC123',
        status: 'LAPOR',
        problemType: 'PADAM_1_RUMAH',
        description: 'Padam satu rumah',
        reportedAt: T0,
        slaDeadline: new Date(T0.getTime() + 180 * 60000),
        confirmationWindowMinutes: 1440,
        lastEventAt: T0,
        createdAt: T0,
        updatedAt: T0,
      },
    });
  });
  afterAll(() => app.close());

  const agent = async (sub: string) => {
    const token = await app.token('backoffice', undefined, sub);
    return {
      claimNext: (body?: unknown) => app.call('POST', '/api/v1/escalations/claim-next', body, { token }),
      done: (id: string, note = 'Pelanggan telah dihubungi') => app.call('POST', `/api/v1/escalations/${id}/done`, { note }, { token }),
    };
  };
  const create = (body: Record<string, unknown>) => app.as('cso').post('/api/v1/escalations', body);
  const requestCallback = (note = 'Pelanggan membatalkan laporan') => create({ category: 'REQUEST_CALLBACK', note });
  const list = (query = '') => app.as('backoffice').get(`/api/v1/escalations${query}`);
  const fields = (answer: { body: { errors?: { field: string }[] } }) => answer.body.errors?.map((e) => e.field);
  const resetQueue = async () => {
    await prisma.escalation.deleteMany();
    clock.set(T0);
  };

  describe('R-E1 creating an escalation (POST /api/v1/escalations)', () => {
    beforeEach(resetQueue);

    it('queues an item on a ticket in the Escalation shape and records ESCALATED on the ticket', async () => {
      const answer = await create({ category: 'LAPOR_ULANG', ticketNumber: TICKET, note: 'Pelanggan lapor ulang' });
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        category: 'LAPOR_ULANG',
        status: 'OPEN',
        ticketNumber: TICKET,
        note: 'Pelanggan lapor ulang',
        callbackAt: null,
        createdAt: T0.toISOString(),
        claimedBy: null,
        claimedAt: null,
        leaseUntil: null,
        doneAt: null,
        doneNote: null,
      });
      const events = await prisma.ticketEvent.findMany({ where: { ticketNumber: TICKET, type: 'ESCALATED' } });
      expect(events.at(-1)).toMatchObject({ actorSub: 'test-cso', actorRole: 'cso', occurredAt: T0, recordedAt: T0 });
      expect(events.at(-1)?.note).toContain('LAPOR_ULANG');
    });

    it('queues a Form Entry Request Callback without a ticket, callbackAt given with an offset and answered in UTC', async () => {
      const answer = await create({ category: 'REQUEST_CALLBACK', note: 'Hubungi pelanggan', callbackAt: '2026-11-23T15:30:00+07:00' });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ category: 'REQUEST_CALLBACK', ticketNumber: null, callbackAt: '2026-11-23T08:30:00.000Z' });
    });

    it('400 naming ticketNumber for an unknown ticket, and writes nothing', async () => {
      const answer = await create({ category: 'LAPOR_ULANG', ticketNumber: 'G5422026999999', note: 'x' });
      expect(answer.status).toBe(400);
      expect(fields(answer)).toEqual(['ticketNumber']);
      expect(await prisma.escalation.count()).toBe(0);
    });

    it('accepts any category without a ticket (API.md: ticketNumber is optional)', async () => {
      const answer = await create({ category: 'URGENT', note: 'Pelanggan PS Kedukaan menunggu sambungan sementara' });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ category: 'URGENT', ticketNumber: null, status: 'OPEN' });
    });

    it.each([
      ['an unknown category', { category: 'NOPE', note: 'x' }, 'category'],
      ['a missing note', { category: 'REQUEST_CALLBACK' }, 'note'],
      ['an empty note', { category: 'REQUEST_CALLBACK', note: '' }, 'note'],
      ['a number for ticketNumber', { category: 'LAPOR_ULANG', ticketNumber: 5422026000001, note: 'x' }, 'ticketNumber'],
      ['a callbackAt without an offset', { category: 'REQUEST_CALLBACK', note: 'x', callbackAt: '2026-11-23T08:00:00' }, 'callbackAt'],
      ['a callbackAt that does not exist', { category: 'REQUEST_CALLBACK', note: 'x', callbackAt: '2026-11-31T08:00:00+07:00' }, 'callbackAt'],
      ['an unknown field', { category: 'REQUEST_CALLBACK', note: 'x', priority: 1 }, 'priority'],
    ])('400 for %s', async (_, body, field) => {
      const answer = await create(body);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
      expect(fields(answer)).toContain(field);
    });

    it('is for cso only: 403 for backoffice, 401 without a token', async () => {
      const body = { category: 'REQUEST_CALLBACK', note: 'x' };
      expect((await app.as('backoffice').post('/api/v1/escalations', body)).status).toBe(403);
      expect((await app.call('POST', '/api/v1/escalations', body)).status).toBe(401);
    });
  });

  describe('R-E3 enqueue inside the caller’s transaction', () => {
    beforeEach(resetQueue);
    const input = { category: 'LAPOR_ULANG' as const, ticketNumber: TICKET, note: 'lapor ulang', actor: { sub: 'cso-1', role: 'cso' }, occurredAt: T0 };

    it('rolls back with the caller: no escalation and no ESCALATED event', async () => {
      const eventsBefore = await prisma.ticketEvent.count({ where: { ticketNumber: TICKET } });
      await expect(
        prisma.$transaction(async (tx) => {
          await service.enqueue(tx, input);
          throw new Error('the ticket change failed');
        }),
      ).rejects.toThrow('the ticket change failed');
      expect(await prisma.escalation.count()).toBe(0);
      expect(await prisma.ticketEvent.count({ where: { ticketNumber: TICKET } })).toBe(eventsBefore);
    });

    it('commits with the caller', async () => {
      const view = await prisma.$transaction((tx) => service.enqueue(tx, input));
      expect(view).toMatchObject({ category: 'LAPOR_ULANG', status: 'OPEN', ticketNumber: TICKET });
      expect(await prisma.escalation.count()).toBe(1);
    });
  });

  describe('listing (GET /api/v1/escalations)', () => {
    let ids: string[];
    beforeAll(async () => {
      await resetQueue();
      ids = [];
      for (const [category, ticketNumber] of [
        ['LAPOR_ULANG', TICKET],
        ['URGENT', TICKET],
        ['REQUEST_CALLBACK', undefined],
        ['LAPORAN_MELEBIHI_SLA', TICKET],
        ['REQUEST_CALLBACK', undefined],
      ]) {
        clock.advance(1000);
        ids.push((await create({ category, ticketNumber, note: 'x' })).body.id);
      }
      // two at the same instant: the id breaks the tie
      clock.advance(1000);
      ids.push((await requestCallback()).body.id, (await requestCallback()).body.id);
      await (await agent('agent-list')).claimNext();
    });

    it('pages oldest first by createdAt then id, with a keyset cursor', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const answer = await list(`?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(answer.status).toBe(200);
        expect(answer.body.items.length).toBeLessThanOrEqual(2);
        seen.push(...answer.body.items.map((e: { id: string }) => e.id));
        cursor = answer.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(4);
      const tied = ids.slice(5).sort();
      expect(seen).toEqual([...ids.slice(0, 5), ...tied]);
    });

    it('filters by status and category, one value or a list', async () => {
      const open = await list('?status=OPEN');
      expect(open.body.items).toHaveLength(6);
      const claimed = await list('?status=CLAIMED');
      expect(claimed.body.items.map((e: { id: string }) => e.id)).toEqual([ids[1]]);
      expect(claimed.body.items[0]).toMatchObject({ category: 'URGENT', claimedBy: 'agent-list' });
      const callbacks = await list('?category=REQUEST_CALLBACK&status=OPEN');
      expect(callbacks.body.items).toHaveLength(4);
      const two = await list('?category=LAPOR_ULANG,LAPORAN_MELEBIHI_SLA');
      expect(two.body.items.map((e: { id: string }) => e.id)).toEqual([ids[0], ids[3]]);
      expect(two.body.nextCursor).toBeNull();
    });

    it.each([
      ['?status=WAITING', 'status'],
      ['?category=LAPOR', 'category'],
      ['?status=OPEN,nope', 'status'],
      ['?limit=0', 'limit'],
      ['?limit=201', 'limit'],
      ['?cursor=not-a-cursor', 'cursor'],
    ])('400 for %s naming %s', async (query, field) => {
      const answer = await list(query);
      expect(answer.status).toBe(400);
      expect(fields(answer)).toEqual([field]);
    });

    it('is for backoffice and admin: 200 for admin, 403 for cso, 401 without a token', async () => {
      expect((await app.as('admin').get('/api/v1/escalations')).status).toBe(200);
      expect((await app.as('cso').get('/api/v1/escalations')).status).toBe(403);
      expect((await app.call('GET', '/api/v1/escalations')).status).toBe(401);
    });
  });

  describe('R-E2 claiming (POST /api/v1/escalations/claim-next)', () => {
    beforeEach(resetQueue);

    it('204 with no body when none is open, also for an empty POST', async () => {
      const a = await agent('agent-a');
      const empty = await a.claimNext();
      expect(empty.status).toBe(204);
      expect(empty.body).toBe('');
      expect((await a.claimNext({})).status).toBe(204);
      expect((await a.claimNext({ categories: ['URGENT'] })).status).toBe(204);
    });

    it('gives URGENT first, then the oldest, and holds the claim for the lease', async () => {
      const created: Record<string, string> = {};
      for (const [key, category] of [
        ['ulang', 'LAPOR_ULANG'],
        ['callback', 'REQUEST_CALLBACK'],
        ['urgent1', 'URGENT'],
        ['urgent2', 'URGENT'],
        ['sla', 'LAPORAN_MELEBIHI_SLA'],
      ]) {
        clock.advance(1000);
        created[key] = (await create({ category, ticketNumber: category === 'REQUEST_CALLBACK' ? undefined : TICKET, note: key })).body.id;
      }
      clock.advance(5000);
      const a = await agent('agent-a');
      const first = await a.claimNext();
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({
        id: created.urgent1,
        status: 'CLAIMED',
        claimedBy: 'agent-a',
        claimedAt: clock.now().toISOString(),
        leaseUntil: new Date(clock.now().getTime() + LEASE_MS).toISOString(),
      });
      const order = [first.body.id];
      for (let i = 0; i < 4; i++) order.push((await a.claimNext()).body.id);
      expect(order).toEqual([created.urgent1, created.urgent2, created.ulang, created.callback, created.sla]);
      expect((await a.claimNext()).status).toBe(204);
    });

    it('takes only the categories asked for', async () => {
      await create({ category: 'URGENT', ticketNumber: TICKET, note: 'u' });
      clock.advance(1000);
      const callback = (await requestCallback()).body.id;
      const answer = await (await agent('agent-a')).claimNext({ categories: ['REQUEST_CALLBACK', 'LAPOR_ULANG'] });
      expect(answer.status).toBe(200);
      expect(answer.body.id).toBe(callback);
    });

    it.each([
      ['an unknown category', { categories: ['NOPE'] }],
      ['an empty list', { categories: [] }],
      ['a string instead of a list', { categories: 'URGENT' }],
      ['an unknown field', { category: 'URGENT' }],
    ])('400 for %s', async (_, body) => {
      const answer = await (await agent('agent-a')).claimNext(body);
      expect(answer.status).toBe(400);
      expect(fields(answer)?.[0]).toMatch(/^categor/);
    });

    it('is for backoffice only: 403 for cso, 401 without a token', async () => {
      expect((await app.as('cso').post('/api/v1/escalations/claim-next')).status).toBe(403);
      expect((await app.call('POST', '/api/v1/escalations/claim-next')).status).toBe(401);
    });

    it('never gives one item to two of 20 agents claiming at once', async () => {
      await prisma.$executeRaw`
        INSERT INTO escalations (id, category, status, note, created_at)
        SELECT gen_random_uuid(), (ARRAY['URGENT', 'REQUEST_CALLBACK', 'LAPOR_ULANG']::"EscalationCategory"[])[1 + i % 3], 'OPEN',
               'load ' || i, ${T0}::timestamptz + i * interval '1 millisecond'
        FROM generate_series(1, 500) AS i`;
      const claims = await Promise.all(
        Array.from({ length: 20 }, async (_, i) => {
          const a = await agent(`agent-${i}`);
          const mine: string[] = [];
          for (;;) {
            const answer = await a.claimNext();
            if (answer.status === 204) return mine;
            expect(answer.status).toBe(200);
            expect(answer.body.claimedBy).toBe(`agent-${i}`);
            mine.push(answer.body.id);
          }
        }),
      );
      const all = claims.flat();
      expect(all).toHaveLength(500);
      expect(new Set(all).size).toBe(500);
      expect(await prisma.escalation.count({ where: { status: 'CLAIMED' } })).toBe(500);
      const byAgent = await prisma.escalation.groupBy({ by: ['claimedBy'], _count: true });
      for (const row of byAgent) expect(row._count).toBe(claims[Number(row.claimedBy?.slice('agent-'.length))].length);
    });
  });

  describe('R-E2 finishing (POST /api/v1/escalations/{id}/done)', () => {
    beforeEach(resetQueue);

    const claimOne = async (sub = 'agent-a') => {
      const id = (await requestCallback()).body.id as string;
      const a = await agent(sub);
      expect((await a.claimNext()).body.id).toBe(id);
      return { id, a };
    };

    it('the claimer finishes within the lease: DONE with doneAt and doneNote', async () => {
      const { id, a } = await claimOne();
      clock.advance(LEASE_MS - 1);
      const answer = await a.done(id, 'Pelanggan telah dihubungi / Telah ditindaklanjuti');
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({
        id,
        status: 'DONE',
        claimedBy: 'agent-a',
        doneAt: clock.now().toISOString(),
        doneNote: 'Pelanggan telah dihubungi / Telah ditindaklanjuti',
      });
      expect((await a.done(id)).status).toBe(409);
    });

    it('409 for another agent, and the claimer still finishes', async () => {
      const { id, a } = await claimOne();
      const b = await agent('agent-b');
      const refused = await b.done(id);
      expect(refused.status).toBe(409);
      expect(refused.headers.get('content-type')).toMatch(/problem\+json/);
      expect((await a.done(id)).status).toBe(200);
    });

    it('409 for the claimer once the lease has expired, even before the sweep', async () => {
      const { id, a } = await claimOne();
      clock.advance(LEASE_MS);
      expect((await a.done(id)).status).toBe(409);
      expect((await prisma.escalation.findUniqueOrThrow({ where: { id } })).status).toBe('CLAIMED');
    });

    it('409 for an item nobody claimed', async () => {
      const id = (await requestCallback()).body.id;
      expect((await (await agent('agent-a')).done(id)).status).toBe(409);
    });

    it('404 for a non-uuid or unknown id', async () => {
      const a = await agent('agent-a');
      expect((await a.done('not-a-uuid')).status).toBe(404);
      expect((await a.done('7b0a3c1e-1234-4abc-8def-0123456789ab')).status).toBe(404);
    });

    it('400 naming note when it is missing; 403 for cso', async () => {
      const { id } = await claimOne();
      const token = await app.token('backoffice', undefined, 'agent-a');
      const answer = await app.call('POST', `/api/v1/escalations/${id}/done`, {}, { token });
      expect(answer.status).toBe(400);
      expect(fields(answer)).toContain('note');
      expect((await app.as('cso').post(`/api/v1/escalations/${id}/done`, { note: 'x' })).status).toBe(403);
    });
  });

  describe('R-J4 expired claims return to OPEN (the escalationLease job)', () => {
    beforeEach(resetQueue);

    it('frees a claim whose lease ended, and another agent can claim it', async () => {
      const id = (await requestCallback()).body.id;
      const a = await agent('agent-a');
      await a.claimNext();
      clock.advance(LEASE_MS - 1);
      expect(await service.releaseExpiredBatch(clock.now(), 500)).toBe(0);
      clock.advance(1);
      expect(await service.releaseExpiredBatch(clock.now(), 500)).toBe(1);
      const [item] = (await list(`?status=OPEN`)).body.items;
      expect(item).toMatchObject({ id, status: 'OPEN', claimedBy: null, claimedAt: null, leaseUntil: null });

      const b = await agent('agent-b');
      expect((await b.claimNext()).body).toMatchObject({ id, claimedBy: 'agent-b' });
      expect((await a.done(id)).status).toBe(409);
      expect((await b.done(id)).status).toBe(200);
      expect(await service.releaseExpiredBatch(clock.now(), 500)).toBe(0);
    });

    it('frees every due claim in one job run, leaves live claims and DONE items alone', async () => {
      for (let i = 0; i < 7; i++) await requestCallback(`due ${i}`);
      const a = await agent('agent-a');
      for (let i = 0; i < 7; i++) await a.claimNext();
      const finished = (await a.claimNext()).status;
      expect(finished).toBe(204);
      const [done] = (await list('?status=CLAIMED&limit=1')).body.items;
      expect((await a.done(done.id)).status).toBe(200);
      clock.advance(LEASE_MS);
      const live = (await requestCallback('live')).body.id;
      await (await agent('agent-b')).claimNext();

      expect(await app.app.get(JobsService).run('escalationLease')).toBe(6);
      expect((await list('?status=OPEN')).body.items).toHaveLength(6);
      expect((await list('?status=CLAIMED')).body.items.map((e: { id: string }) => e.id)).toEqual([live]);
      expect((await list('?status=DONE')).body.items.map((e: { id: string }) => e.id)).toEqual([done.id]);
    });
  });
});
