import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { EscalationService } from '../src/escalation/escalation.service';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';

// Issue 5: R-R1…R-R9, R-C2, R-E3 over HTTP against a real PostgreSQL.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-11-23T01:00:00Z');

describe('repeated reports and confirmation', () => {
  const clock = new FakeClock(new Date(T0));
  let app: TestApp;
  let prisma: PrismaService;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    prisma = app.app.get(PrismaService);
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());
  beforeEach(() => clock.set(new Date(T0)));

  const cso = () => app.as('cso');
  const create = async (body: Record<string, unknown>) => (await cso().post('/api/v1/tickets', body)).body;
  const get = async (number: string) => (await cso().get(`/api/v1/tickets/${number}`)).body;
  const move = async (number: string, body: Record<string, unknown>) => {
    const answer = await app.as('unit', '542').post(`/api/v1/tickets/${number}/status`, body);
    if (answer.status !== 200) throw new Error(JSON.stringify(answer.body));
    return answer.body;
  };
  const finish = (number: string, unitAnswer = 'Pelanggan telah dihubungi / Telah ditindaklanjuti') => move(number, { status: 'SELESAI', unitAnswer });
  const reReport = (number: string, body: Record<string, unknown> = {}) => cso().post(`/api/v1/tickets/${number}/re-reports`, body);

  describe('R-R1 Update Lapor', () => {
    it('appends to an open ticket before its SLA deadline: updateCount + 1, no new ticket, no escalation', async () => {
      const t = await create(gangguan());
      clock.set(new Date(T0 + 180 * MINUTE - 1));
      const answer = await reReport(t.number, { note: 'Masih padam', reportedAt: new Date(T0 + 180 * MINUTE - 1).toISOString() });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ treatment: 'UPDATE_LAPOR', escalations: [], order: null });
      expect(answer.body.ticket.number).toBe(t.number);
      expect(answer.body.ticket.counters).toEqual({ updateCount: 1, repeatCount: 0, jumlahLaporMelebihiSla: 0 });
      expect(answer.body.previous).toEqual(answer.body.ticket);
      const events = (await cso().get(`/api/v1/tickets/${t.number}/events`)).body.items;
      expect(events.at(-1)).toMatchObject({ type: 'UPDATE_LAPOR', note: 'Masih padam' });
    });

    it('R-R8 queues one URGENT escalation for an urgent ticket', async () => {
      const t = await create(gangguan({ urgent: true }));
      const answer = await reReport(t.number);
      expect(answer.body.treatment).toBe('UPDATE_LAPOR');
      expect(answer.body.escalations).toHaveLength(1);
      expect(answer.body.escalations[0]).toMatchObject({ category: 'URGENT', status: 'OPEN', ticketNumber: t.number, note: expect.stringContaining('UPDATE_LAPOR') });
    });
  });

  describe('R-R2 Lapor Melebihi SLA', () => {
    it('exactly at the SLA deadline: counter + 1 and a LAPORAN_MELEBIHI_SLA escalation, no new ticket', async () => {
      const t = await create(gangguan());
      clock.set(new Date(T0 + 180 * MINUTE));
      const answer = await reReport(t.number, { note: 'Sudah 3 jam masih padam' });
      expect(answer.body.treatment).toBe('LAPOR_MELEBIHI_SLA');
      expect(answer.body.ticket.number).toBe(t.number);
      expect(answer.body.ticket.counters.jumlahLaporMelebihiSla).toBe(1);
      expect(answer.body.escalations).toEqual([expect.objectContaining({ category: 'LAPORAN_MELEBIHI_SLA', ticketNumber: t.number, status: 'OPEN' })]);
    });

    it('R-R8 urgent: the escalation is URGENT and names the treatment', async () => {
      const t = await create(gangguan({ urgent: true }));
      clock.set(new Date(T0 + 4 * HOUR));
      const answer = await reReport(t.number);
      expect(answer.body.escalations[0]).toMatchObject({ category: 'URGENT', note: expect.stringContaining('LAPOR_MELEBIHI_SLA') });
    });

    it('50 parallel re-reports of one over-SLA ticket count 50, with 50 escalations', async () => {
      const t = await create(gangguan({ reportedAt: new Date(T0 - 4 * HOUR).toISOString() }));
      const answers = await Promise.all(Array.from({ length: 50 }, () => reReport(t.number)));
      expect(answers.every((a) => a.status === 201 && a.body.treatment === 'LAPOR_MELEBIHI_SLA')).toBe(true);
      expect((await get(t.number)).counters.jumlahLaporMelebihiSla).toBe(50);
      expect(await prisma.escalation.count({ where: { ticketNumber: t.number, category: 'LAPORAN_MELEBIHI_SLA' } })).toBe(50);
    });
  });

  describe('R-R3 Lapor Ulang', () => {
    it('inside the window: new linked ticket, asterisk, counters and RE_REPORTED close, LAPOR_ULANG escalation', async () => {
      const t = await create(gangguan({ urgent: false }));
      await finish(t.number);
      clock.set(new Date(T0 + 24 * HOUR - 1));
      const answer = await reReport(t.number, { note: 'Padam lagi' });
      expect(answer.status).toBe(201);
      expect(answer.body.treatment).toBe('LAPOR_ULANG');
      expect(answer.body.ticket).toMatchObject({
        kind: 'GANGGUAN',
        status: 'LAPOR',
        unitCode: '542',
        customer: t.customer,
        problemType: t.problemType,
        previousNumber: t.number,
        referenceNumber: null,
        description: `Gangguan Berulang: ${t.number} ${t.description}`,
        counters: { updateCount: 0, repeatCount: 0, jumlahLaporMelebihiSla: 0 },
        reportedAt: new Date(T0 + 24 * HOUR - 1).toISOString(),
      });
      expect(answer.body.previous).toMatchObject({
        number: t.number,
        status: 'DITUTUP',
        closeReason: 'RE_REPORTED',
        reReported: true,
        counters: { updateCount: 0, repeatCount: 1, jumlahLaporMelebihiSla: 1 },
      });
      expect(answer.body.escalations).toEqual([expect.objectContaining({ category: 'LAPOR_ULANG', ticketNumber: answer.body.ticket.number })]);
    });

    it('a Lapor Ulang recorded late dates its new ticket\'s escalation at the report time, so a move in between can be recorded', async () => {
      const t = await create(gangguan({ urgent: false }));
      await finish(t.number);
      clock.set(new Date(T0 + 20 * HOUR));
      const reportedAt = new Date(T0 + 18 * HOUR);
      const answer = await reReport(t.number, { note: 'Padam lagi', reportedAt: reportedAt.toISOString() });
      expect([answer.status, answer.body.treatment]).toEqual([201, 'LAPOR_ULANG']);
      const created = answer.body.ticket.number;
      const events = (await app.as('cso').get(`/api/v1/tickets/${created}/events`)).body.items;
      expect(events.map((e: any) => [e.type, e.occurredAt])).toEqual([
        ['CREATED', reportedAt.toISOString()],
        ['ESCALATED', reportedAt.toISOString()],
      ]);
      const moved = await app.as('unit', '542').post(`/api/v1/tickets/${created}/status`, { status: 'PENUGASAN', occurredAt: new Date(T0 + 19 * HOUR).toISOString() });
      expect(moved.status).toBe(200);
    });

    it('a re-report naming the re-reported ticket applies to the newest of its chain', async () => {
      const t = await create(gangguan());
      await finish(t.number);
      const first = (await reReport(t.number)).body.ticket;
      const second = await reReport(t.number, { note: 'masih' });
      expect(second.body.treatment).toBe('UPDATE_LAPOR');
      expect(second.body.ticket.number).toBe(first.number);
    });
  });

  describe('R-R4 fourth identical answer', () => {
    async function chainOfThree(answers: [string, string, string], urgent = false) {
      const a = await create(gangguan({ urgent }));
      await finish(a.number, answers[0]);
      const b = (await reReport(a.number)).body.ticket;
      await finish(b.number, answers[1]);
      const c = (await reReport(b.number)).body.ticket;
      await finish(c.number, answers[2]);
      return c;
    }

    it('answers equal ignoring case and surrounding spaces → issue-closed ticket referencing the previous', async () => {
      const c = await chainOfThree(['Sudah normal', '  sudah NORMAL ', 'SUDAH NORMAL']);
      const answer = await reReport(c.number, { note: 'Masih padam katanya' });
      expect(answer.body.treatment).toBe('ISSUE_CLOSED');
      expect(answer.body.ticket).toMatchObject({ status: 'ISSUE_CLOSED', referenceNumber: c.number, previousNumber: null, description: 'Masih padam katanya' });
      expect(answer.body.previous.status).toBe('SELESAI');
      expect(answer.body.escalations).toEqual([]);
    });

    it('different answers → the ordinary rules (Lapor Ulang inside the window)', async () => {
      const c = await chainOfThree(['Sudah normal', 'Sudah normal', 'Kabel diganti']);
      expect((await reReport(c.number)).body.treatment).toBe('LAPOR_ULANG');
    });

    it('customer disputes the answer → as if R-R4 did not apply', async () => {
      const c = await chainOfThree(['ok', 'ok', 'ok']);
      expect((await reReport(c.number, { customerDisputesUnitAnswer: true, unitAnswerUnclear: true })).body.treatment).toBe('LAPOR_ULANG');
    });

    it('answer too vague → Laporan Baru referencing the previous ticket', async () => {
      const c = await chainOfThree(['ok', 'ok', 'ok']);
      const answer = await reReport(c.number, { unitAnswerUnclear: true, note: 'tidak jelas' });
      expect(answer.body.treatment).toBe('LAPORAN_BARU');
      expect(answer.body.ticket).toMatchObject({ status: 'LAPOR', referenceNumber: c.number, description: 'tidak jelas' });
    });
  });

  describe('R-R5 R-R6 R-R7 Laporan Baru', () => {
    it('R-R5 NYALA but still dark', async () => {
      const t = await create(gangguan());
      await move(t.number, { status: 'NYALA' });
      const answer = await reReport(t.number, { note: 'Masih padam' });
      expect(answer.body.treatment).toBe('LAPORAN_BARU');
      expect(answer.body.ticket).toMatchObject({
        referenceNumber: t.number,
        description: `LAPORAN INI MENGACU PADA LAPORAN SEBELUMNYA NO : ${t.number}, SESUAI INFORMASI PELANGGAN, BELUM DITINDAKLANJUTI & LISTRIK DI LOKASI MASIH PADAM Masih padam`,
      });
    });

    it('R-R6 exactly at the window end, before the job ran', async () => {
      const t = await create(gangguan());
      await finish(t.number);
      clock.set(new Date(T0 + 24 * HOUR));
      const answer = await reReport(t.number);
      expect(answer.body.treatment).toBe('LAPORAN_BARU');
      expect(answer.body.ticket.description).toBe(`${t.description} PELANGGAN PERNAH LAPOR DENGAN NO: ${t.number}, STATUS SELESAI, PELANGGAN TIDAK KONFIRMASI s.d 1X24 JAM`);
    });

    it('R-R6 for an induction-stove Keluhan names 1X6 JAM', async () => {
      const k = await create(keluhan({ problemType: 'INFORMASI', subType: 'LAYANAN_KOMPOR_INDUKSI', komporInduksi: { installationPowered: true } }));
      await finish(k.number);
      clock.set(new Date(T0 + 6 * HOUR));
      const answer = await reReport(k.number, { note: 'Kompor mati lagi' });
      expect(answer.body.ticket.description).toMatch(/^Kompor mati lagi PELANGGAN PERNAH LAPOR DENGAN NO: K\d+, STATUS SELESAI, PELANGGAN TIDAK KONFIRMASI s\.d 1X6 JAM$/);
    });

    it('R-R7 after a confirmed close or BATAL; R-R7a an agent\'s ISSUE_CLOSED is not repeatable', async () => {
      const confirmed = await create(gangguan());
      await finish(confirmed.number);
      await cso().post(`/api/v1/tickets/${confirmed.number}/confirmation`, { resolved: true });
      const cancelled = await create(gangguan());
      await move(cancelled.number, { status: 'BATAL', reason: 'dobel' });
      const closed = await create(keluhan({ issueClosed: true }));
      for (const t of [confirmed, cancelled]) {
        const answer = await reReport(t.number);
        expect(answer.body).toMatchObject({ treatment: 'LAPORAN_BARU', escalations: [] });
        expect(answer.body.ticket).toMatchObject({ status: 'LAPOR', referenceNumber: t.number, description: t.description, kind: t.kind });
      }
      // DOMAIN.md R-R7a (issue 14) changed this case from a Laporan Baru to 409 not-repeatable
      expect((await reReport(closed.number)).status).toBe(409);
    });
  });

  describe('R-R9 update notes', () => {
    it('adds a note to a ticket that is not terminal; 409 on a terminal one', async () => {
      const t = await create(gangguan());
      const answer = await cso().post(`/api/v1/tickets/${t.number}/updates`, { note: 'Pelanggan menambahkan info' });
      expect(answer.status).toBe(201);
      expect(answer.body.counters.updateCount).toBe(1);
      await move(t.number, { status: 'BATAL', reason: 'dobel' });
      expect((await cso().post(`/api/v1/tickets/${t.number}/updates`, { note: 'x' })).status).toBe(409);
    });

    it('requestCallback queues a REQUEST_CALLBACK with the note in the same transaction', async () => {
      const t = await create(gangguan({ urgent: true }));
      await app.as('mobile').post(`/api/v1/tickets/${t.number}/updates`, { note: 'Pelanggan membatalkan laporan', requestCallback: true });
      const items = await prisma.escalation.findMany({ where: { ticketNumber: t.number } });
      expect(items.map((e) => e.category)).toEqual(['REQUEST_CALLBACK']); // an explicit note queues no URGENT (R-R8)
    });

    it('400 without a note', async () => {
      const t = await create(gangguan());
      expect((await cso().post(`/api/v1/tickets/${t.number}/updates`, {})).status).toBe(400);
    });
  });

  describe('R-C2 confirmation', () => {
    it('resolved → DITUTUP / CONFIRMED', async () => {
      const t = await create(gangguan());
      await finish(t.number);
      const answer = await app.as('mobile').post(`/api/v1/tickets/${t.number}/confirmation`, { resolved: true });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ ticket: { status: 'DITUTUP', closeReason: 'CONFIRMED' }, newTicket: null });
    });

    it('"Belum" → a Lapor Ulang as R-R3, returning the new ticket', async () => {
      const t = await create(gangguan());
      await finish(t.number);
      const answer = await cso().post(`/api/v1/tickets/${t.number}/confirmation`, { resolved: false, note: 'Belum menyala' });
      expect(answer.body.ticket).toMatchObject({ status: 'DITUTUP', closeReason: 'RE_REPORTED', reReported: true });
      expect(answer.body.newTicket).toMatchObject({ status: 'LAPOR', previousNumber: t.number, description: `Gangguan Berulang: ${t.number} ${t.description}` });
      expect(await prisma.escalation.count({ where: { ticketNumber: answer.body.newTicket.number, category: 'LAPOR_ULANG' } })).toBe(1);
    });

    it('409 at the window end, and on a ticket that is not SELESAI', async () => {
      const t = await create(gangguan());
      expect((await cso().post(`/api/v1/tickets/${t.number}/confirmation`, { resolved: true })).status).toBe(409);
      await finish(t.number);
      clock.set(new Date(T0 + 24 * HOUR));
      expect((await cso().post(`/api/v1/tickets/${t.number}/confirmation`, { resolved: true })).status).toBe(409);
    });
  });

  describe('R-E3 atomicity', () => {
    it('a failure between the ticket change and its escalation leaves neither', async () => {
      const t = await create(gangguan({ reportedAt: new Date(T0 - 4 * HOUR).toISOString() }));
      const escalations = app.app.get(EscalationService);
      const spy = jest.spyOn(escalations, 'enqueue').mockRejectedValueOnce(new Error('injected failure'));
      const answer = await reReport(t.number);
      spy.mockRestore();
      expect(answer.status).toBe(500);
      expect(answer.body.requestId).toBeTruthy();
      expect(JSON.stringify(answer.body)).not.toMatch(/injected|at .*\.ts/);
      expect((await get(t.number)).counters.jumlahLaporMelebihiSla).toBe(0);
      expect(await prisma.escalation.count({ where: { ticketNumber: t.number } })).toBe(0);
      expect((await cso().get(`/api/v1/tickets/${t.number}/events`)).body.items).toHaveLength(1);
    });
  });

  it('re-reports and confirmations are for cso and mobile only; another unit cannot see the ticket', async () => {
    const t = await create(gangguan());
    expect((await app.as('unit', '542').post(`/api/v1/tickets/${t.number}/re-reports`, {})).status).toBe(403);
    expect((await app.as('backoffice').post(`/api/v1/tickets/${t.number}/confirmation`, { resolved: true })).status).toBe(403);
    expect((await cso().post('/api/v1/tickets/G5422026999998/re-reports', {})).status).toBe(404);
    expect((await cso().post(`/api/v1/tickets/${t.number}/re-reports`, { unitAnswerUnclear: 'yes' })).status).toBe(400);
  });
});
