import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { JobsService } from '../src/jobs/jobs.service';
import { OutagesService } from '../src/outages/outages.service';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';
import { seedTickets } from './support/seed';

// Issue 18: mass outages ("Padam Meluas"), DOMAIN.md §14 R-O1…R-O5, API.md `outages`.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-11-23T01:00:00Z');

describe('mass outages', () => {
  const clock = new FakeClock(new Date(T0));
  let app: TestApp;
  let prisma: PrismaService;
  let jobs: JobsService;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    prisma = app.app.get(PrismaService);
    jobs = app.app.get(JobsService);
    await registerUnits(app, '542', '545', '547', '548');
  });
  afterAll(() => app.close());
  beforeEach(() => clock.set(new Date(T0)));
  afterEach(() => jobs.run('outagePropagation')); // no test leaves moves for the next one to carry

  const unit = (code = '542') => app.as('unit', code);
  const call = async (method: string, path: string, body?: unknown, role: 'unit' | 'admin' = 'unit', code = '542', headers: Record<string, string> = {}) =>
    app.call(method, path, body, { token: await app.token(role, role === 'unit' ? code : undefined), headers });
  const create = async (body: Record<string, unknown>) => {
    const answer = await app.as('cso').post('/api/v1/tickets', body);
    if (answer.status !== 201) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const get = async (number: string) => (await app.as('cso').get(`/api/v1/tickets/${number}`)).body;
  const events = async (number: string) => (await app.as('cso').get(`/api/v1/tickets/${number}/events`)).body.items as { type: string; fromStatus: string | null; toStatus: string | null; note: string | null }[];
  const declare = async (over: Record<string, unknown> = {}, code = '542') => {
    const answer = await unit(code).post('/api/v1/outages', {
      unitCode: code, title: 'Penyulang KBN-07 trip', cause: 'Pohon tumbang', area: 'Desa Sukamaju, Sukamanah', etr: '2026-11-23T15:00:00+07:00', ...over,
    });
    if (answer.status !== 201) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const moveOutage = async (id: string, body: Record<string, unknown>, code = '542') => {
    const answer = await unit(code).post(`/api/v1/outages/${id}/status`, body);
    if (answer.status !== 202) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const attach = (id: string, numbers: string[], code = '542') => unit(code).post(`/api/v1/outages/${id}/tickets`, { numbers });
  const propagate = () => jobs.run('outagePropagation');

  describe('R-O1 outage', () => {
    it('a unit declares one for its unit: 201 with the Outage shape', async () => {
      const outage = await declare();
      expect(outage).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        unitCode: '542',
        title: 'Penyulang KBN-07 trip',
        cause: 'Pohon tumbang',
        area: 'Desa Sukamaju, Sukamanah',
        etr: '2026-11-23T08:00:00.000Z',
        status: 'PENUGASAN',
        unitAnswer: null,
        cancelReason: null,
        ticketCount: 0,
        openTicketCount: 0,
        lastPropagation: { status: 'PENUGASAN', reached: 0, pending: 0 },
        version: 1,
        createdAt: clock.now().toISOString(),
        updatedAt: clock.now().toISOString(),
        closedAt: null,
      });
      expect((await app.as('mobile').get(`/api/v1/outages/${outage.id}`)).body).toEqual(outage);
    });

    it("a unit caller declaring for, or naming an outage of, another unit gets 404; roles outside the table 403", async () => {
      expect((await unit('545').post('/api/v1/outages', { unitCode: '542', title: 't', cause: 'c', area: 'a', etr: null })).status).toBe(404);
      const outage = await declare();
      expect((await unit('545').get(`/api/v1/outages/${outage.id}`)).status).toBe(404);
      expect((await attach(outage.id, ['G5422026000001'], '545')).status).toBe(404);
      expect((await unit('545').post(`/api/v1/outages/${outage.id}/status`, { status: 'PERJALANAN' })).status).toBe(404);
      expect((await call('PATCH', `/api/v1/outages/${outage.id}`, { title: 'x' }, 'unit', '545')).status).toBe(404);
      expect((await app.as('cso').post('/api/v1/outages', { unitCode: '542', title: 't', cause: 'c', area: 'a', etr: null })).status).toBe(403);
      expect((await app.as('listriqu').get('/api/v1/outages')).status).toBe(403);
      expect((await app.as('itsm').get(`/api/v1/outages/${outage.id}`)).status).toBe(403);
      expect((await app.as('admin').post('/api/v1/outages', { unitCode: '545', title: 't', cause: 'c', area: 'a', etr: null })).status).toBe(201);
      expect((await unit().get('/api/v1/outages/not-a-uuid')).status).toBe(404);
    });

    it('validates the body: missing fields, an unknown unit, an unknown field → 400', async () => {
      expect((await unit().post('/api/v1/outages', { unitCode: '542', title: 't' })).status).toBe(400);
      expect((await app.as('admin').post('/api/v1/outages', { unitCode: '999', title: 't', cause: 'c', area: 'a', etr: null })).status).toBe(400);
      expect((await unit().post('/api/v1/outages', { unitCode: '542', title: 't', cause: 'c', area: 'a', etr: null, extra: 1 })).status).toBe(400);
    });

    it('moves forward only (409), BATAL needs a reason and SELESAI the unit answer (400), If-Match as for tickets (412)', async () => {
      const outage = await declare();
      const moved = await moveOutage(outage.id, { status: 'PENGERJAAN' });
      expect(moved).toMatchObject({ status: 'PENGERJAAN', version: 2 });
      expect((await unit().post(`/api/v1/outages/${outage.id}/status`, { status: 'PERJALANAN' })).status).toBe(409);
      expect((await unit().post(`/api/v1/outages/${outage.id}/status`, { status: 'DITUTUP' })).status).toBe(400);
      expect((await unit().post(`/api/v1/outages/${outage.id}/status`, { status: 'BATAL' })).status).toBe(400);
      expect((await unit().post(`/api/v1/outages/${outage.id}/status`, { status: 'SELESAI' })).status).toBe(400);
      expect((await unit().post(`/api/v1/outages/${outage.id}/status`, { status: 'NYALA' }, { headers: { 'if-match': '"1"' } })).status).toBe(412);
      expect((await unit().post(`/api/v1/outages/${outage.id}/status`, { status: 'NYALA' }, { headers: { 'if-match': '"2"' } })).status).toBe(202);
      const cancelled = await moveOutage(outage.id, { status: 'BATAL', reason: 'Salah input' });
      expect(cancelled).toMatchObject({ status: 'BATAL', cancelReason: 'Salah input', closedAt: clock.now().toISOString() });
      expect((await unit().post(`/api/v1/outages/${outage.id}/status`, { status: 'SELESAI', unitAnswer: 'x' })).status).toBe(409);
      expect((await call('PATCH', `/api/v1/outages/${outage.id}`, { title: 'x' })).status).toBe(409);
    });

    // API.md: `If-Match` as for tickets. The header is read at the edge (@IfMatch), so both routes share the
    // tickets' parser and comparison; each case below is one PATCH against the outage's current version.
    it.each<[string, number, (version: number) => string]>([
      ['the current version as an entity tag', 200, (v) => `"${v}"`],
      ['the bare version, as API.md writes it', 200, (v) => String(v)],
      ['*', 200, () => '*'],
      ['a list naming the current tag', 200, (v) => `"${v - 1}", "${v}"`],
      ['another version', 412, (v) => `"${v + 1}"`],
      ['a weak tag of the current version: never matches (strong comparison)', 412, (v) => `W/"${v}"`],
      ['a malformed header', 400, () => 'version-2'],
      ['an unquoted tag in a list', 400, (v) => `"${v}", ${v}`],
    ])('R-O1 If-Match as for tickets on PATCH: %s → %i', async (_, status, header) => {
      const outage = await declare();
      const answer = await call('PATCH', `/api/v1/outages/${outage.id}`, { title: 'x' }, 'unit', '542', { 'if-match': header(outage.version) });
      expect(answer.status).toBe(status);
      if (status === 400) expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'If-Match' })]);
      expect((await unit().get(`/api/v1/outages/${outage.id}`)).body.version).toBe(status === 200 ? outage.version + 1 : outage.version);
    });

    it('R-O1 If-Match as for tickets on a status move: a weak tag is 412, a malformed header 400 naming it, the current tag 202', async () => {
      const outage = await declare();
      const move = (header: string) => unit().post(`/api/v1/outages/${outage.id}/status`, { status: 'PENGERJAAN' }, { headers: { 'if-match': header } });
      expect((await move(`W/"${outage.version}"`)).status).toBe(412);
      const malformed = await move('v1');
      expect([malformed.status, malformed.body.errors]).toEqual([400, [expect.objectContaining({ field: 'If-Match' })]]);
      expect((await move(`"${outage.version}"`)).status).toBe(202);
    });

    it('PATCH changes etr, title, cause and area (200)', async () => {
      const outage = await declare();
      const answer = await call('PATCH', `/api/v1/outages/${outage.id}`, { title: 'Gardu GH-3 padam', cause: 'Trafo rusak', area: 'Blok C', etr: '2026-11-23T18:00:00+07:00' });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ title: 'Gardu GH-3 padam', cause: 'Trafo rusak', area: 'Blok C', etr: '2026-11-23T11:00:00.000Z', version: 2 });
      expect((await call('PATCH', `/api/v1/outages/${outage.id}`, { status: 'NYALA' })).status).toBe(400);
      expect((await call('PATCH', `/api/v1/outages/${outage.id}`, { title: 'y' }, 'unit', '542', { 'if-match': '"1"' })).status).toBe(412);
    });

    it('lists newest first, ?unitCode= and ?active=true, a unit only its own, pages with a cursor', async () => {
      const a = await declare({}, '547');
      clock.advance(MINUTE);
      const b = await declare({}, '547');
      clock.advance(MINUTE);
      const c = await declare({}, '547');
      await moveOutage(c.id, { status: 'NYALA' }, '547');
      const all = await app.as('cso').get('/api/v1/outages?unitCode=547');
      expect(all.body.items.map((o: { id: string }) => o.id)).toEqual([c.id, b.id, a.id]);
      const active = await app.as('mobile').get('/api/v1/outages?unitCode=547&active=true');
      expect(active.body.items.map((o: { id: string }) => o.id)).toEqual([b.id, a.id]);
      const page1 = await app.as('cso').get('/api/v1/outages?unitCode=547&limit=2');
      expect(page1.body.items).toHaveLength(2);
      const page2 = await app.as('cso').get(`/api/v1/outages?unitCode=547&limit=2&cursor=${page1.body.nextCursor}`);
      expect(page2.body).toMatchObject({ items: [{ id: a.id }], nextCursor: null });
      const own = await unit('545').get('/api/v1/outages?unitCode=547');
      expect(own.body.items.every((o: { unitCode: string }) => o.unitCode === '545')).toBe(true);
      expect((await app.as('cso').get('/api/v1/outages?active=yes')).status).toBe(400);
      expect((await app.as('cso').get('/api/v1/outages?status=NYALA')).status).toBe(400);
    });
  });

  describe('R-O2 attaching', () => {
    it('attaches open Gangguan of the unit, refuses the others by name with their reason, and each takes the outage status at once', async () => {
      const outage = await declare();
      await moveOutage(outage.id, { status: 'PERJALANAN' });
      await propagate();
      const [g1, g2] = [await create(gangguan()), await create(gangguan())];
      const k = await create(keluhan());
      const other = await create(gangguan({ unitCode: '545' }));
      const done = await create(gangguan());
      await unit().post(`/api/v1/tickets/${done.number}/status`, { status: 'NYALA' });
      const ahead = await create(gangguan());
      await unit().post(`/api/v1/tickets/${ahead.number}/status`, { status: 'PENGERJAAN' });
      const elsewhere = await declare();
      expect((await attach(elsewhere.id, [g2.number])).body).toEqual({ attached: [g2.number], refused: [] });

      const answer = await attach(outage.id, [g1.number, k.number, other.number, done.number, g2.number, 'G5422026999999', ahead.number]);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        attached: [g1.number, ahead.number],
        refused: [
          { number: k.number, reason: 'NOT_GANGGUAN' },
          { number: other.number, reason: 'OTHER_UNIT' },
          { number: done.number, reason: 'NOT_OPEN' },
          { number: g2.number, reason: 'IN_ANOTHER_OUTAGE' },
          { number: 'G5422026999999', reason: 'NOT_FOUND' },
        ],
      });
      const t1 = await get(g1.number);
      expect(t1).toMatchObject({ status: 'PERJALANAN', version: 2, outage: { id: outage.id, title: 'Penyulang KBN-07 trip', status: 'PERJALANAN', etr: '2026-11-23T08:00:00.000Z' } });
      expect((await events(g1.number)).slice(1)).toMatchObject([
        { type: 'ATTACHED_TO_OUTAGE', note: 'Padam meluas: Penyulang KBN-07 trip' },
        { type: 'STATUS_CHANGED', fromStatus: 'LAPOR', toStatus: 'PERJALANAN', note: 'Padam meluas: Penyulang KBN-07 trip' },
      ]);
      expect(await get(ahead.number)).toMatchObject({ status: 'PENGERJAAN', outage: { id: outage.id } }); // forward only: it keeps its status
      expect((await events(ahead.number)).at(-1)).toMatchObject({ type: 'ATTACHED_TO_OUTAGE' });
      expect((await attach(outage.id, [g1.number])).body).toEqual({ attached: [], refused: [{ number: g1.number, reason: 'ALREADY_ATTACHED' }] });
      expect((await get(k.number)).outage).toBeNull();
      const listed = await unit().get(`/api/v1/tickets?outageId=${outage.id}`);
      expect(listed.body.items.map((t: { number: string }) => t.number).sort()).toEqual([g1.number, ahead.number].sort());
      expect(listed.body.items[0].outage).toMatchObject({ id: outage.id, status: 'PERJALANAN' });
      expect((await unit().get('/api/v1/tickets?outageId=nope')).status).toBe(400);
      expect((await app.as('cso').get(`/api/v1/outages/${outage.id}`)).body).toMatchObject({ ticketCount: 2, openTicketCount: 2 });
    });

    it('takes 1 to 1,000 numbers (400 outside); an outage that reached NYALA takes none (409)', async () => {
      const outage = await declare();
      expect((await attach(outage.id, [])).status).toBe(400);
      expect((await attach(outage.id, Array.from({ length: 1001 }, (_, i) => `G5422026${String(i).padStart(6, '0')}`))).status).toBe(400);
      expect((await attach(outage.id, ['nope'])).status).toBe(400);
      await moveOutage(outage.id, { status: 'NYALA' });
      const t = await create(gangguan());
      expect((await attach(outage.id, [t.number])).status).toBe(409);
    });

    it('at creation with outageId: joins at once; a Keluhan, another unit, an unknown or closed outage → 409', async () => {
      const outage = await declare();
      await moveOutage(outage.id, { status: 'PENGERJAAN' });
      const t = await create(gangguan({ outageId: outage.id }));
      expect(t).toMatchObject({ status: 'PENGERJAAN', version: 2, outage: { id: outage.id, title: 'Penyulang KBN-07 trip', status: 'PENGERJAAN' } });
      expect((await events(t.number)).map((e) => e.type)).toEqual(['CREATED', 'ATTACHED_TO_OUTAGE', 'STATUS_CHANGED']);
      expect((await get(t.number)).outage).toMatchObject({ id: outage.id });
      const cso = app.as('cso');
      expect((await cso.post('/api/v1/tickets', keluhan({ outageId: outage.id }))).status).toBe(409);
      expect((await cso.post('/api/v1/tickets', gangguan({ unitCode: '545', outageId: outage.id }))).status).toBe(409);
      expect((await cso.post('/api/v1/tickets', gangguan({ outageId: '00000000-0000-4000-8000-000000000000' }))).status).toBe(409);
      expect((await cso.post('/api/v1/tickets', gangguan({ outageId: outage.id, issueClosed: true }))).status).toBe(409);
      expect((await cso.post('/api/v1/tickets', gangguan({ outageId: 'nope' }))).status).toBe(400);
      expect((await cso.post('/api/v1/tickets', gangguan({ outageId: outage.id, woType: 'IML_LISTRIQU', problemType: 'TETANGGA_TIDAK_TURUT_PADAM', iml: { willingToPay: true } }))).status).toBe(409);
      await moveOutage(outage.id, { status: 'NYALA' });
      expect((await cso.post('/api/v1/tickets', gangguan({ outageId: outage.id }))).status).toBe(409);
    });
  });

  describe('R-O3 propagation', () => {
    it('a status move moves every following ticket with its event; SELESAI carries the unit answer, then R-C1/R-J1 apply per ticket', async () => {
      const outage = await declare();
      const tickets = [await create(gangguan({ outageId: outage.id })), await create(gangguan({ outageId: outage.id })), await create(gangguan({ outageId: outage.id }))];
      const cancelled = tickets[2];
      await unit().post(`/api/v1/tickets/${cancelled.number}/status`, { status: 'BATAL', reason: 'Pelanggan membatalkan' });
      clock.advance(10 * MINUTE);
      const moved = await moveOutage(outage.id, { status: 'NYALA' });
      expect(moved.lastPropagation).toEqual({ status: 'NYALA', reached: 0, pending: 2 });
      expect(await propagate()).toBe(2);
      for (const t of tickets.slice(0, 2)) {
        expect(await get(t.number)).toMatchObject({ status: 'NYALA', nyalaAt: clock.now().toISOString(), outage: { status: 'NYALA' } });
        expect((await events(t.number)).at(-1)).toMatchObject({ type: 'STATUS_CHANGED', fromStatus: 'PENUGASAN', toStatus: 'NYALA', note: 'Padam meluas: Penyulang KBN-07 trip' });
      }
      expect((await get(cancelled.number)).status).toBe('BATAL');
      expect((await app.as('cso').get(`/api/v1/outages/${outage.id}`)).body.lastPropagation).toEqual({ status: 'NYALA', reached: 2, pending: 0 });

      clock.advance(10 * MINUTE);
      const resolvedAt = clock.now().toISOString();
      await moveOutage(outage.id, { status: 'SELESAI', unitAnswer: 'Penyulang normal kembali' });
      await propagate();
      const finished = await get(tickets[0].number);
      expect(finished).toMatchObject({
        status: 'SELESAI', unitAnswer: 'Penyulang normal kembali', resolvedAt, confirmationDeadline: new Date(Date.parse(resolvedAt) + 24 * HOUR).toISOString(),
      });
      // R-C2 on one ticket, R-J1 on the other: each on its own
      expect((await app.as('cso').post(`/api/v1/tickets/${tickets[0].number}/confirmation`, { resolved: true })).body.ticket.status).toBe('DITUTUP');
      clock.advance(25 * HOUR);
      await jobs.runAll();
      expect(await get(tickets[1].number)).toMatchObject({ status: 'DITUTUP', closeReason: 'NO_CONFIRMATION' });
      expect(await get(tickets[0].number)).toMatchObject({ closeReason: 'CONFIRMED' });
      expect(await prisma.outageMove.findMany({ where: { outageId: outage.id }, select: { toStatus: true, reached: true }, orderBy: { id: 'asc' } })).toEqual([
        { toStatus: 'NYALA', reached: 2 },
        { toStatus: 'SELESAI', reached: 2 },
      ]);
    });

    it('R-M1: a ticket the outage finishes at or after its SLA deadline keeps slaBreachedAt (its deadline), one finished in time none', async () => {
      const outage = await declare();
      const late = await create(gangguan({ outageId: outage.id }));
      clock.set(new Date(Date.parse(late.slaDeadline) + MINUTE)); // past its deadline; R-J3 has not run
      const inTime = await create(gangguan({ outageId: outage.id }));
      expect((await get(late.number)).slaBreachedAt).toBeNull();
      await moveOutage(outage.id, { status: 'SELESAI', unitAnswer: 'Penyulang normal kembali' });
      await propagate();
      expect(await get(late.number)).toMatchObject({ status: 'SELESAI', slaBreachedAt: late.slaDeadline });
      expect(await get(inTime.number)).toMatchObject({ status: 'SELESAI', slaBreachedAt: null });
    });

    it('an etr change is one OUTAGE_ETR_CHANGED event per attached open ticket', async () => {
      const outage = await declare();
      const [a, b] = [await create(gangguan({ outageId: outage.id })), await create(gangguan({ outageId: outage.id }))];
      await unit().post(`/api/v1/tickets/${b.number}/status`, { status: 'NYALA' });
      const answer = await call('PATCH', `/api/v1/outages/${outage.id}`, { etr: '2026-11-23T20:30:00+07:00' });
      expect(answer.status).toBe(200);
      await propagate();
      expect((await events(a.number)).at(-1)).toMatchObject({ type: 'OUTAGE_ETR_CHANGED', note: 'Padam meluas: Penyulang KBN-07 trip. Perkiraan nyala: 23/11/2026 20:30 WIB' });
      expect((await get(a.number)).outage.etr).toBe('2026-11-23T13:30:00.000Z');
      expect((await events(b.number)).some((e) => e.type === 'OUTAGE_ETR_CHANGED')).toBe(false);
      await call('PATCH', `/api/v1/outages/${outage.id}`, { title: 'Judul baru' }); // no etr change: no event
      await propagate();
      expect((await events(a.number)).filter((e) => e.type === 'OUTAGE_ETR_CHANGED')).toHaveLength(1);
    });

    it('a replica that runs jobs starts propagating at once, without waiting for the job', async () => {
      const other = await TestApp.start({ clock, databaseUrl: app.databaseUrl, config: { jobsEnabled: true, jobsIntervalMs: 3_600_000 } });
      try {
        const outage = await declare();
        const t = await create(gangguan({ outageId: outage.id }));
        const answer = await other.as('unit', '542').post(`/api/v1/outages/${outage.id}/status`, { status: 'PENGERJAAN' });
        expect(answer.status).toBe(202);
        await other.app.get(OutagesService).idle();
        expect((await get(t.number)).status).toBe('PENGERJAAN');
      } finally {
        await other.close({ dropDatabase: false });
      }
    });

    const seedAttached = async (code: string, count: number, firstSequence: number) => {
      const outage = await declare({}, code);
      const numbers = await seedTickets(prisma, { count, unitCode: code, kind: 'GANGGUAN', status: 'LAPOR', at: new Date(T0), firstSequence });
      for (let i = 0; i < numbers.length; i += 1000) {
        const answer = await attach(outage.id, numbers.slice(i, i + 1000), code);
        expect(answer.body.attached).toHaveLength(Math.min(1000, numbers.length - i));
      }
      return { outage, numbers };
    };
    const statusEvents = (numbers: string[], to: string) => prisma.$queryRaw<{ n: number; d: number }[]>`
      SELECT count(*)::int AS n, count(DISTINCT ticket_number)::int AS d FROM ticket_events
      WHERE type = 'STATUS_CHANGED' AND to_status = ${to}::"TicketStatus" AND ticket_number = ANY(${numbers})`;

    it('a crash between batches: the first batch stays committed, the next run finishes exactly once', async () => {
      const { outage, numbers } = await seedAttached('548', 1200, 600000);
      clock.advance(MINUTE);
      await moveOutage(outage.id, { status: 'PENGERJAAN' }, '548');
      await expect(
        jobs.run('outagePropagation', (_, batch) => {
          if (batch === 0) throw new Error('crash after the first batch');
        }),
      ).rejects.toThrow('crash');
      expect(await prisma.ticket.count({ where: { number: { in: numbers }, status: 'PENGERJAAN' } })).toBe(500);
      expect((await unit('548').get(`/api/v1/outages/${outage.id}`)).body.lastPropagation).toEqual({ status: 'PENGERJAAN', reached: 500, pending: 700 });
      await jobs.run('outagePropagation');
      expect(await prisma.ticket.count({ where: { number: { in: numbers }, status: 'PENGERJAAN' } })).toBe(1200);
      expect((await statusEvents(numbers, 'PENGERJAAN'))[0]).toEqual({ n: 1200, d: 1200 });
      expect((await unit('548').get(`/api/v1/outages/${outage.id}`)).body.lastPropagation).toEqual({ status: 'PENGERJAAN', reached: 1200, pending: 0 });
    });

    it('two instances propagating at once move every ticket once, one event each', async () => {
      const { outage, numbers } = await seedAttached('548', 1500, 700000);
      clock.advance(MINUTE);
      await moveOutage(outage.id, { status: 'NYALA_SEMENTARA' }, '548');
      await call('PATCH', `/api/v1/outages/${outage.id}`, { etr: '2026-11-23T21:00:00+07:00' }, 'unit', '548');
      await moveOutage(outage.id, { status: 'NYALA' }, '548');
      const second = await TestApp.start({ clock, databaseUrl: app.databaseUrl });
      try {
        await Promise.all([jobs.run('outagePropagation'), second.app.get(JobsService).run('outagePropagation')]);
      } finally {
        await second.close({ dropDatabase: false });
      }
      expect(await prisma.ticket.count({ where: { number: { in: numbers }, status: 'NYALA' } })).toBe(1500);
      expect((await statusEvents(numbers, 'NYALA_SEMENTARA'))[0]).toEqual({ n: 1500, d: 1500 });
      expect((await statusEvents(numbers, 'NYALA'))[0]).toEqual({ n: 1500, d: 1500 });
      // the etr change came after NYALA_SEMENTARA: no ticket was open any more
      expect(await prisma.ticketEvent.count({ where: { ticketNumber: { in: numbers }, type: 'OUTAGE_ETR_CHANGED' } })).toBe(0);
    });
  });

  describe('R-O4 leaving', () => {
    it('a detached ticket no longer follows; DELETE answers the ticket (200), another outage or ticket → 404', async () => {
      const outage = await declare();
      const [stays, leaves] = [await create(gangguan({ outageId: outage.id })), await create(gangguan({ outageId: outage.id }))];
      const answer = await call('DELETE', `/api/v1/outages/${outage.id}/tickets/${leaves.number}`);
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ number: leaves.number, outage: null, status: 'PENUGASAN' });
      expect((await events(leaves.number)).at(-1)).toMatchObject({ type: 'DETACHED_FROM_OUTAGE' });
      expect((await call('DELETE', `/api/v1/outages/${outage.id}/tickets/${leaves.number}`)).status).toBe(404);
      expect((await call('DELETE', `/api/v1/outages/${outage.id}/tickets/${stays.number}`, undefined, 'unit', '545')).status).toBe(404);
      await moveOutage(outage.id, { status: 'PENGERJAAN' });
      await propagate();
      expect((await get(stays.number)).status).toBe('PENGERJAAN');
      expect((await get(leaves.number)).status).toBe('PENUGASAN');
    });

    it('a re-report under R-R5 after the outage reached NYALA leaves it; under NYALA_SEMENTARA it stays', async () => {
      const outage = await declare();
      const [a, b] = [await create(gangguan({ outageId: outage.id })), await create(gangguan({ outageId: outage.id }))];
      await moveOutage(outage.id, { status: 'NYALA_SEMENTARA' });
      await propagate();
      const staged = await app.as('cso').post(`/api/v1/tickets/${a.number}/re-reports`, { note: 'Masih padam' });
      expect(staged.body).toMatchObject({ treatment: 'LAPORAN_BARU', previous: { outage: { id: outage.id } } });
      await moveOutage(outage.id, { status: 'NYALA' });
      await propagate();
      const dark = await app.as('cso').post(`/api/v1/tickets/${b.number}/re-reports`, { note: 'Masih padam' });
      expect(dark.body).toMatchObject({ treatment: 'LAPORAN_BARU', previous: { number: b.number, status: 'NYALA', outage: null }, ticket: { outage: null, status: 'LAPOR' } });
      expect((await events(b.number)).at(-1)).toMatchObject({ type: 'DETACHED_FROM_OUTAGE' });
      await moveOutage(outage.id, { status: 'SELESAI', unitAnswer: 'Normal' });
      await propagate();
      expect((await get(a.number)).status).toBe('SELESAI');
      expect((await get(b.number)).status).toBe('NYALA');
    });
  });

  describe('R-O5 repeats during an outage', () => {
    it('over SLA: the counter goes up but no LAPORAN_MELEBIHI_SLA escalation; an urgent ticket still queues URGENT', async () => {
      const outage = await declare();
      const plain = await create(gangguan({ outageId: outage.id }));
      const urgent = await create(gangguan({ outageId: outage.id, urgent: true }));
      const alone = await create(gangguan());
      clock.advance(4 * HOUR);
      const a = await app.as('cso').post(`/api/v1/tickets/${plain.number}/re-reports`, {});
      expect(a.body).toMatchObject({ treatment: 'LAPOR_MELEBIHI_SLA', escalations: [], ticket: { counters: { jumlahLaporMelebihiSla: 1 } } });
      const u = await app.as('cso').post(`/api/v1/tickets/${urgent.number}/re-reports`, {});
      expect(u.body).toMatchObject({ treatment: 'LAPOR_MELEBIHI_SLA', escalations: [{ category: 'URGENT' }] });
      const c = await app.as('cso').post(`/api/v1/tickets/${alone.number}/re-reports`, {});
      expect(c.body.escalations).toMatchObject([{ category: 'LAPORAN_MELEBIHI_SLA' }]); // outside an outage, as before
      const r1 = await app.as('cso').post(`/api/v1/tickets/${plain.number}/re-reports`, {});
      expect(r1.body).toMatchObject({ escalations: [], ticket: { counters: { jumlahLaporMelebihiSla: 2 } } });
      expect(await prisma.escalation.count({ where: { ticketNumber: plain.number } })).toBe(0);
    });
  });

  describe('tried as a user would (issue 18)', () => {
    it('declare, 200 reports join, PENGERJAAN, new etr, NYALA, one still dark leaves, SELESAI: each history tells it', async () => {
      clock.set('2026-11-24T01:00:00Z');
      const outage = await declare({ title: 'Penyulang CBR-02 gangguan', etr: '2026-11-24T12:00:00+07:00' });
      const tickets: { number: string }[] = [];
      for (let i = 0; i < 200; i++) tickets.push(await create(gangguan({ outageId: outage.id, customer: { name: `Pelanggan ${i}`, phone: `0812${String(i).padStart(8, '0')}` } })));
      clock.advance(30 * MINUTE);
      await moveOutage(outage.id, { status: 'PENGERJAAN' });
      await propagate();
      clock.advance(30 * MINUTE);
      expect((await call('PATCH', `/api/v1/outages/${outage.id}`, { etr: '2026-11-24T14:00:00+07:00' })).status).toBe(200);
      await propagate();
      clock.advance(2 * HOUR);
      await moveOutage(outage.id, { status: 'NYALA' });
      await propagate();
      clock.advance(10 * MINUTE);
      const dark = tickets[17].number;
      const reReport = await app.as('cso').post(`/api/v1/tickets/${dark}/re-reports`, { note: 'Rumah masih padam' });
      expect(reReport.body).toMatchObject({ treatment: 'LAPORAN_BARU', previous: { outage: null } });
      clock.advance(20 * MINUTE);
      await moveOutage(outage.id, { status: 'SELESAI', unitAnswer: 'Penyulang CBR-02 normal kembali' });
      await propagate();

      const view = (await unit().get(`/api/v1/outages/${outage.id}`)).body;
      expect(view).toMatchObject({ status: 'SELESAI', ticketCount: 199, openTicketCount: 0, lastPropagation: { status: 'SELESAI', reached: 199, pending: 0 } });
      const story = (await events(tickets[0].number)).map((e) => [e.type, e.toStatus]);
      expect(story).toEqual([
        ['CREATED', 'LAPOR'],
        ['ATTACHED_TO_OUTAGE', null],
        ['STATUS_CHANGED', 'PENUGASAN'],
        ['STATUS_CHANGED', 'PENGERJAAN'],
        ['OUTAGE_ETR_CHANGED', null],
        ['STATUS_CHANGED', 'NYALA'],
        ['STATUS_CHANGED', 'SELESAI'],
      ]);
      expect(await get(tickets[0].number)).toMatchObject({ status: 'SELESAI', unitAnswer: 'Penyulang CBR-02 normal kembali', outage: { id: outage.id, status: 'SELESAI' } });
      expect((await events(dark)).map((e) => [e.type, e.toStatus])).toEqual([...story.slice(0, 6), ['DETACHED_FROM_OUTAGE', null]]);
      expect(await get(dark)).toMatchObject({ status: 'NYALA', outage: null });
      expect((await events(reReport.body.ticket.number))[0]).toMatchObject({ type: 'CREATED', toStatus: 'LAPOR' });
    });
  });
});
