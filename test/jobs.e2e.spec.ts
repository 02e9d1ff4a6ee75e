import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { JobsService } from '../src/jobs/jobs.service';
import { TicketsService } from '../src/tickets/tickets.service';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';
import { seedTickets } from './support/seed';

// Issue 6: R-J1, R-J2, R-J3 and the exactly-once guarantees of DOMAIN §9.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

describe('scheduled jobs', () => {
  const clock = new FakeClock(new Date('2026-11-23T01:00:00Z'));
  let app: TestApp;
  let jobs: JobsService;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    jobs = app.app.get(JobsService);
    await registerUnits(app, '542', '545', '546');
  });
  afterAll(() => app.close());

  const cso = () => app.as('cso');
  const create = async (body: Record<string, unknown>) => (await cso().post('/api/v1/tickets', body)).body;
  const get = async (number: string) => (await cso().get(`/api/v1/tickets/${number}`)).body;
  const events = async (number: string) => (await cso().get(`/api/v1/tickets/${number}/events`)).body.items;
  const finish = async (number: string, occurredAt: string) => {
    const answer = await app.as('unit', '542').post(`/api/v1/tickets/${number}/status`, { status: 'SELESAI', unitAnswer: 'Sudah normal', occurredAt });
    if (answer.status !== 200) throw new Error(JSON.stringify(answer.body));
    return answer.body;
  };
  const komporKeluhan = (over: Record<string, unknown> = {}) =>
    keluhan({ problemType: 'INFORMASI', subType: 'LAYANAN_KOMPOR_INDUKSI', komporInduksi: { installationPowered: true }, description: 'Kompor induksi tidak menyala', ...over });

  describe('R-J1 auto-close', () => {
    it.each([
      ['a Gangguan (24 h)', () => gangguan(), 24 * HOUR],
      ['an induction-stove Keluhan (6 h)', () => komporKeluhan(), 6 * HOUR],
    ])('closes %s at its window end, not one millisecond before', async (_, body, window) => {
      clock.set('2026-11-23T01:00:00Z');
      const ticket = await create(body());
      const resolvedAt = '2026-11-23T01:00:00.000Z';
      await finish(ticket.number, resolvedAt);
      clock.set(new Date(Date.parse(resolvedAt) + window - 1));
      await jobs.runAll();
      expect((await get(ticket.number)).status).toBe('SELESAI');
      clock.set(new Date(Date.parse(resolvedAt) + window)); // at the deadline is outside the window (R-C1)
      await jobs.runAll();
      const closed = await get(ticket.number);
      expect(closed).toMatchObject({ status: 'DITUTUP', closeReason: 'NO_CONFIRMATION', closedAt: new Date(Date.parse(resolvedAt) + window).toISOString() });
      const last = (await events(ticket.number)).at(-1);
      expect(last).toMatchObject({ type: 'AUTO_CLOSED', fromStatus: 'SELESAI', toStatus: 'DITUTUP', actor: { sub: 'system', role: 'system' } });
      clock.advance(HOUR);
      await jobs.runAll();
      expect((await events(ticket.number)).filter((e: { type: string }) => e.type === 'AUTO_CLOSED')).toHaveLength(1);
    });
  });

  describe('R-J2 auto-transfer of an unanswered induction-stove Keluhan', () => {
    it('moves it to a new Gangguan one millisecond after 60 minutes, not at 60 minutes', async () => {
      clock.set('2026-11-23T02:00:00Z');
      const k = await create(komporKeluhan({ urgent: true }));
      clock.set(new Date(Date.parse('2026-11-23T02:00:00Z') + 60 * MINUTE));
      await jobs.runAll();
      expect((await get(k.number)).status).toBe('LAPOR');
      const transferAt = new Date(Date.parse('2026-11-23T02:00:00Z') + 60 * MINUTE + 1);
      clock.set(transferAt);
      await jobs.runAll();
      const keluhanAfter = await get(k.number);
      expect(keluhanAfter).toMatchObject({ status: 'BATAL', cancelReason: 'AUTO_TRANSFER', transferredToNumber: expect.stringMatching(/^G5422026\d{6}$/) });
      const g = await get(keluhanAfter.transferredToNumber);
      expect(g).toMatchObject({
        kind: 'GANGGUAN',
        status: 'LAPOR',
        unitCode: '542',
        channel: k.channel,
        urgent: true,
        customer: k.customer,
        problemType: 'KOMPOR_INDUKSI',
        woType: 'AUTODISPATCH',
        reportedAt: transferAt.toISOString(),
        slaDeadline: new Date(transferAt.getTime() + 180 * MINUTE).toISOString(),
        description: `DIALIHKAN OTOMATIS DARI KELUHAN ${k.number}: ${k.description}`,
        transferredFromNumber: k.number,
      });
      expect((await events(k.number)).at(-1)).toMatchObject({ type: 'AUTO_TRANSFERRED', toStatus: 'BATAL', actor: { role: 'system' } });
      expect((await events(g.number))[0]).toMatchObject({ type: 'CREATED', actor: { sub: 'system', role: 'system' } });
    });

    it('leaves a Keluhan that was responded to (left LAPOR) alone', async () => {
      clock.set('2026-11-23T03:00:00Z');
      const k = await create(komporKeluhan());
      await app.as('unit', '542').post(`/api/v1/tickets/${k.number}/status`, { status: 'DIPROSES' });
      clock.advance(2 * HOUR);
      await jobs.runAll();
      expect((await get(k.number)).status).toBe('DIPROSES');
    });

    it('never transfers other Keluhan', async () => {
      clock.set('2026-11-23T03:00:00Z');
      const k = await create(keluhan());
      clock.advance(5 * HOUR);
      await jobs.runAll();
      expect((await get(k.number)).status).toBe('LAPOR');
    });
  });

  describe('R-J3 SLA breach marking (R-S2)', () => {
    it('marks an open ticket overSla at its deadline with an event and a new updatedAt', async () => {
      clock.set('2026-11-23T04:00:00Z');
      const t = await create(gangguan());
      clock.set(new Date(Date.parse('2026-11-23T04:00:00Z') + 180 * MINUTE - 1));
      await jobs.runAll();
      expect((await get(t.number)).overSla).toBe(false);
      clock.advance(1);
      await jobs.runAll();
      const marked = await get(t.number);
      expect(marked).toMatchObject({ overSla: true, updatedAt: clock.now().toISOString(), version: 2 });
      expect((await events(t.number)).at(-1)).toMatchObject({ type: 'SLA_BREACHED', actor: { role: 'system' } });
      const listed = await cso().get('/api/v1/tickets?overSla=true&unitCode=542');
      expect(listed.body.items.map((i: { number: string }) => i.number)).toContain(t.number);
      await app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'SELESAI', unitAnswer: 'ok' });
      expect((await get(t.number)).overSla).toBe(false); // no longer open
    });
  });

  describe('exactly once', () => {
    it('three instances with their own pools, running together over 1,000 due tickets, act on each once', async () => {
      const prisma = app.app.get(PrismaService);
      const due = new Date('2026-11-23T05:00:00Z');
      const toClose = await seedTickets(prisma, { count: 500, unitCode: '545', kind: 'GANGGUAN', status: 'SELESAI', at: due });
      const toTransfer = await seedTickets(prisma, {
        count: 500, unitCode: '545', kind: 'KELUHAN', status: 'LAPOR', at: due, subType: 'LAYANAN_KOMPOR_INDUKSI', autoTransferMinutes: 60,
      });
      clock.set(new Date(due.getTime() + 2 * HOUR));
      const others = await Promise.all([1, 2].map(() => TestApp.start({ clock, databaseUrl: app.databaseUrl })));
      try {
        const runs = await Promise.all([app, ...others].map((a) => a.app.get(JobsService).runAll()));
        expect(runs.reduce((n, r) => n + r.autoClose, 0)).toBeGreaterThanOrEqual(500);
        expect(runs.reduce((n, r) => n + r.autoTransfer, 0)).toBe(500);
      } finally {
        await Promise.all(others.map((a) => a.close({ dropDatabase: false })));
      }
      const closedEvents = await prisma.$queryRaw<{ n: number; d: number }[]>`
        SELECT count(*)::int AS n, count(DISTINCT ticket_number)::int AS d FROM ticket_events WHERE type = 'AUTO_CLOSED' AND ticket_number = ANY(${toClose})`;
      expect(closedEvents[0]).toEqual({ n: 500, d: 500 });
      expect(await prisma.ticket.count({ where: { number: { in: toClose }, status: 'DITUTUP', closeReason: 'NO_CONFIRMATION' } })).toBe(500);
      const transferEvents = await prisma.$queryRaw<{ n: number; d: number }[]>`
        SELECT count(*)::int AS n, count(DISTINCT ticket_number)::int AS d FROM ticket_events WHERE type = 'AUTO_TRANSFERRED' AND ticket_number = ANY(${toTransfer})`;
      expect(transferEvents[0]).toEqual({ n: 500, d: 500 });
      const gangguan = await prisma.ticket.findMany({ where: { transferredFromNumber: { in: toTransfer } }, select: { transferredFromNumber: true } });
      expect(gangguan).toHaveLength(500);
      expect(new Set(gangguan.map((g) => g.transferredFromNumber)).size).toBe(500);
    });

    it('a run interrupted after its first batch loses and doubles nothing; the next run finishes', async () => {
      const prisma = app.app.get(PrismaService);
      const due = new Date('2026-11-23T06:00:00Z');
      const numbers = await seedTickets(prisma, { count: 450, unitCode: '546', kind: 'GANGGUAN', status: 'SELESAI', at: due, firstSequence: 600000 });
      clock.set(new Date(due.getTime() + MINUTE));
      await expect(
        jobs.run('autoClose', (_, batch) => {
          if (batch === 0) throw new Error('crash after the first batch');
        }),
      ).rejects.toThrow('crash');
      const afterCrash = await prisma.ticket.count({ where: { number: { in: numbers }, status: 'DITUTUP' } });
      expect(afterCrash).toBe(200); // the first batch committed, nothing else
      await jobs.run('autoClose');
      expect(await prisma.ticket.count({ where: { number: { in: numbers }, status: 'DITUTUP' } })).toBe(450);
      const [events] = await prisma.$queryRaw<{ n: number; d: number }[]>`
        SELECT count(*)::int AS n, count(DISTINCT ticket_number)::int AS d FROM ticket_events WHERE type = 'AUTO_CLOSED' AND ticket_number = ANY(${numbers})`;
      expect(events).toEqual({ n: 450, d: 450 });
    });

    it('a failure inside a transfer batch rolls the whole batch back', async () => {
      const prisma = app.app.get(PrismaService);
      const due = new Date('2026-11-23T07:00:00Z');
      const numbers = await seedTickets(prisma, {
        count: 3, unitCode: '546', kind: 'KELUHAN', status: 'LAPOR', at: due, subType: 'LAYANAN_KOMPOR_INDUKSI', autoTransferMinutes: 60, firstSequence: 700000,
      });
      clock.set(new Date(due.getTime() + 2 * HOUR));
      // the second ticket of the batch fails after the first was transferred inside the same transaction
      const tickets = app.app.get(TicketsService);
      const original = tickets.insert.bind(tickets);
      let calls = 0;
      const spy = jest.spyOn(tickets, 'insert').mockImplementation(async (...args) => {
        if (++calls === 2) throw new Error('injected failure');
        return original(...args);
      });
      await expect(jobs.run('autoTransfer')).rejects.toThrow('injected failure');
      spy.mockRestore();
      expect(await prisma.ticket.count({ where: { number: { in: numbers }, status: 'LAPOR' } })).toBe(3);
      expect(await prisma.ticket.count({ where: { transferredFromNumber: { in: numbers } } })).toBe(0);
      await jobs.run('autoTransfer');
      expect(await prisma.ticket.count({ where: { transferredFromNumber: { in: numbers } } })).toBe(3);
    });
  });
});
