import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { TestApp } from './support/app';
import { createTicket, gangguan, keluhan, registerUnits } from './support/fixtures';

// Issue 4: R-T1…R-T6, R-S1, R-S2, R-C1 over HTTP.
describe('tickets over HTTP', () => {
  const clock = new FakeClock(new Date('2026-11-23T01:00:00Z'));
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    await registerUnits(app, '542', '543');
  });
  afterAll(() => app.close());

  const cso = () => app.as('cso');
  const unit = (code = '542') => app.as('unit', code);
  const create = (body: Record<string, unknown>) => createTicket(app, body);
  const move = (number: string, body: Record<string, unknown>, options = {}) => unit().post(`/api/v1/tickets/${number}/status`, body, options);

  describe('R-T1 R-T2 R-T3 create', () => {
    it('creates a Gangguan with every field of the Ticket shape', async () => {
      const answer = await cso().post('/api/v1/tickets', gangguan());
      expect(answer.status).toBe(201);
      expect(answer.body).toEqual({
        number: expect.stringMatching(/^G5422026\d{6}$/),
        kind: 'GANGGUAN',
        unitCode: '542',
        channel: 'CC123',
        status: 'LAPOR',
        customer: { name: 'Budi', phone: '081234567890', idPel: '512345678901', meterNumber: null, address: 'Jl. Merdeka 1', province: 'JAWA BARAT' },
        problemType: 'PADAM_1_RUMAH',
        subType: null,
        woType: 'AUTODISPATCH',
        description: 'Listrik padam satu rumah sejak pagi',
        urgent: false,
        reportedAt: '2026-11-23T01:00:00.000Z',
        slaDeadline: '2026-11-23T04:00:00.000Z',
        overSla: false,
        resolvedAt: null,
        unitAnswer: null,
        confirmationDeadline: null,
        closedAt: null,
        closeReason: null,
        cancelReason: null,
        counters: { updateCount: 0, repeatCount: 0, jumlahLaporMelebihiSla: 0 },
        reReported: false,
        previousNumber: null,
        referenceNumber: null,
        callbackAt: null,
        transferredToNumber: null,
        transferredFromNumber: null,
        keterangan: null,
        successorNumber: null,
        respondedAt: null,
        nyalaAt: null,
        slaBreachedAt: null,
        outage: null,
        rating: null,
        version: 1,
        createdAt: '2026-11-23T01:00:00.000Z',
        updatedAt: '2026-11-23T01:00:00.000Z',
      });
    });

    it('creates a Keluhan numbered K with no WO type', async () => {
      const ticket = await create(keluhan());
      expect(ticket.number).toMatch(/^K5422026\d{6}$/);
      expect(ticket.woType).toBeNull();
      expect(ticket.subType).toBe('TAGIHAN_SUSULAN');
    });

    it('R-T2 numbers a report by the year of reportedAt in the unit time zone', async () => {
      clock.set('2027-01-01T00:30:00Z');
      const late = await create(gangguan({ reportedAt: '2026-12-31T23:30:00+07:00' })); // 16:30Z on 31 Dec: 2026 in Jakarta
      const early = await create(gangguan({ reportedAt: '2027-01-01T00:10:00+07:00' })); // 17:10Z on 31 Dec: 2027 in Jakarta
      expect(late.number.slice(4, 8)).toBe('2026');
      expect(early.number.slice(4, 8)).toBe('2027');
      expect(early.number.slice(8)).toBe('000001');
      clock.set('2026-11-23T01:00:00Z');
    });

    it('R-T2 gives unique, strictly increasing numbers to 200 parallel creates for one unit', async () => {
      const tickets = await Promise.all(Array.from({ length: 200 }, () => create(gangguan())));
      const numbers = tickets.map((t) => t.number);
      expect(new Set(numbers).size).toBe(200);
      const seqs = numbers.map((n) => Number(n.slice(8))).sort((a, b) => a - b);
      expect(seqs[seqs.length - 1] - seqs[0]).toBeLessThan(210);
    });

    it('R-T2 keeps two units interleaved apart: each its own sequence, no duplicate', async () => {
      const tickets = await Promise.all(Array.from({ length: 100 }, (_, i) => create(gangguan({ unitCode: i % 2 ? '542' : '543' }))));
      const byUnit = (code: string) => tickets.filter((t) => t.unitCode === code).map((t) => t.number);
      expect(new Set(tickets.map((t) => t.number)).size).toBe(100);
      expect(byUnit('543').every((n) => n.startsWith('G5432026'))).toBe(true);
      expect(byUnit('542').every((n) => n.startsWith('G5422026'))).toBe(true);
      // one sequence per unit: each unit's 50 numbers are consecutive, not spread over a shared 100
      for (const code of ['542', '543']) {
        const seqs = byUnit(code).map((n) => Number(n.slice(8)));
        expect(Math.max(...seqs) - Math.min(...seqs)).toBe(49);
      }
    });

    it('R-T2 numbers in creation order within a key', async () => {
      const a = await create(keluhan({ unitCode: '543' }));
      const b = await create(keluhan({ unitCode: '543' }));
      expect(Number(b.number.slice(8))).toBeGreaterThan(Number(a.number.slice(8)));
    });

    it('R-T2 makes overflow past 999999 a clear error, never a duplicate', async () => {
      await registerUnits(app, '544');
      await create(gangguan({ unitCode: '544' }));
      const prisma = app.app.get(PrismaService);
      await prisma.$executeRawUnsafe(`SELECT setval('ticket_seq_g_544_2026', 999999)`);
      const answer = await cso().post('/api/v1/tickets', gangguan({ unitCode: '544' }));
      expect(answer.status).toBe(409);
      expect(answer.body.detail).toMatch(/999999/);
    });

    it('issueClosed creates the ticket as ISSUE_CLOSED, with a number', async () => {
      const ticket = await create(keluhan({ issueClosed: true }));
      expect(ticket.status).toBe('ISSUE_CLOSED');
      expect(ticket.number).toMatch(/^K542/);
      expect(ticket.closedAt).not.toBeNull();
    });

    it('keeps a referenceNumber to an existing ticket; an unknown one is 400', async () => {
      const first = await create(gangguan());
      expect((await create(gangguan({ referenceNumber: first.number }))).referenceNumber).toBe(first.number);
      const answer = await cso().post('/api/v1/tickets', gangguan({ referenceNumber: 'G5422026999990' }));
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe('referenceNumber');
    });

    it('lets the PLN Mobile backend create on channel PLN_MOBILE', async () => {
      const answer = await app.as('mobile').post('/api/v1/tickets', gangguan({ channel: 'PLN_MOBILE' }));
      expect(answer.status).toBe(201);
      expect(answer.body.channel).toBe('PLN_MOBILE');
    });

    // API.md (issue 14) lets the back office create the follow-up ticket of a callback (R-E4): no longer 403
    it('refuses creation to unit and admin callers (403)', async () => {
      for (const role of ['unit', 'admin'] as const) {
        expect((await app.as(role).post('/api/v1/tickets', gangguan())).status).toBe(403);
      }
    });
  });

  describe('bad input → 400 naming the field', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['idPel of 11 digits', gangguan({ customer: { name: 'A', phone: '081234567890', idPel: '51234567890' } }), 'customer.idPel'],
      ['meterNumber of 12 digits', gangguan({ customer: { name: 'A', phone: '081234567890', meterNumber: '123456789012' } }), 'customer.meterNumber'],
      ['phone with letters', gangguan({ customer: { name: 'A', phone: '0812-ABC' } }), 'customer.phone'],
      ['phone of 7 digits', gangguan({ customer: { name: 'A', phone: '0812345' } }), 'customer.phone'],
      ['missing phone', gangguan({ customer: { name: 'A' } }), 'customer.phone'],
      ['missing name', gangguan({ customer: { phone: '081234567890' } }), 'customer.name'],
      ['unknown province', gangguan({ customer: { name: 'A', phone: '081234567890', province: 'ATLANTIS' } }), 'customer.province'],
      ['unit code of 4 digits', gangguan({ unitCode: '5420' }), 'unitCode'],
      ['unregistered unit', gangguan({ unitCode: '999' }), 'unitCode'],
      ['kind not exact', gangguan({ kind: 'gangguan' }), 'kind'],
      ['channel unknown', gangguan({ channel: 'SMS' }), 'channel'],
      ['problemType lower case', gangguan({ problemType: 'padam' }), 'problemType'],
      ['urgent as a string', gangguan({ urgent: 'yes' }), 'urgent'],
      ['description as a number', gangguan({ description: 42 }), 'description'],
      ['missing description', gangguan({ description: undefined }), 'description'],
      ['reportedAt without offset', gangguan({ reportedAt: '2026-11-23T08:00:00' }), 'reportedAt'],
      ['reportedAt that does not exist', gangguan({ reportedAt: '2026-11-31T08:00:00+07:00' }), 'reportedAt'],
      ['reportedAt 8 days ago', gangguan({ reportedAt: '2026-11-15T00:59:00Z' }), 'reportedAt'],
      ['reportedAt 3 minutes ahead', gangguan({ reportedAt: '2026-11-23T01:03:00Z' }), 'reportedAt'],
      ['woType on a Keluhan', keluhan({ woType: 'AUTODISPATCH' }), 'woType'],
      ['unknown field', gangguan({ colour: 'red' }), 'colour'],
      ['iml on a report that is not IML', gangguan({ iml: { willingToPay: true } }), 'iml'],
      ['unknown customer field', gangguan({ customer: { name: 'A', phone: '081234567890', age: 3 } }), 'customer.age'],
      ['mobile on channel CC123', gangguan(), 'channel'],
    ];
    it.each(cases)('%s', async (name, body, field) => {
      const caller = name.startsWith('mobile') ? app.as('mobile') : cso();
      const answer = await caller.post('/api/v1/tickets', body);
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });

    it('accepts a reportedAt 7 days ago and 2 minutes ahead exactly', async () => {
      expect((await cso().post('/api/v1/tickets', gangguan({ reportedAt: '2026-11-16T01:00:00Z' }))).status).toBe(201);
      expect((await cso().post('/api/v1/tickets', gangguan({ reportedAt: '2026-11-23T01:02:00Z' }))).status).toBe(201);
    });
  });

  describe('R-S1 R-S2 SLA', () => {
    it('sets slaDeadline from the policy, 180 minutes by default', async () => {
      const ticket = await create(keluhan({ reportedAt: '2026-11-23T07:30:00+07:00' }));
      expect(ticket.slaDeadline).toBe('2026-11-23T03:30:00.000Z');
    });

    it('applies a changed policy to tickets created after it', async () => {
      const put = await app.as('admin').put('/api/v1/policies/GANGGUAN.PADAM_SEBAGIAN.*', { slaMinutes: 60 });
      expect(put.status).toBe(200);
      expect(put.body).toEqual({
        id: 'GANGGUAN.PADAM_SEBAGIAN.*',
        kind: 'GANGGUAN',
        problemType: 'PADAM_SEBAGIAN',
        subType: null,
        slaMinutes: 60,
        confirmationWindowMinutes: 1440,
        autoTransferMinutes: null,
        autoTransferProblemType: null,
        alwaysUrgent: false,
      });
      const ticket = await create(gangguan({ problemType: 'PADAM_SEBAGIAN' }));
      expect(ticket.slaDeadline).toBe('2026-11-23T02:00:00.000Z');
    });

    it('takes the most specific policy: a matching subType outranks a matching problemType (new tickets and PUT copies)', async () => {
      const admin = app.as('admin');
      await admin.put('/api/v1/policies/KELUHAN.TAGIHAN.*', { slaMinutes: 100 });
      await admin.put('/api/v1/policies/KELUHAN.*.SUSULAN', { slaMinutes: 50, confirmationWindowMinutes: 600 });
      const ticket = await create(keluhan({ problemType: 'TAGIHAN', subType: 'SUSULAN', reportedAt: '2026-11-23T01:00:00Z' }));
      expect(ticket.slaDeadline).toBe('2026-11-23T01:50:00.000Z');
      expect((await create(keluhan({ problemType: 'TAGIHAN', subType: 'LAIN' }))).slaDeadline).toBe('2026-11-23T02:40:00.000Z');
      const copied = await admin.put('/api/v1/policies/KELUHAN.TAGIHAN.SUSULAN', { alwaysUrgent: false });
      expect(copied.body).toMatchObject({ slaMinutes: 50, confirmationWindowMinutes: 600 });
    });

    it('R-S3 forces urgent where a policy says alwaysUrgent', async () => {
      await app.as('admin').put('/api/v1/policies/KELUHAN.PS_KEDUKAAN.*', { alwaysUrgent: true });
      expect((await create(keluhan({ problemType: 'PS_KEDUKAAN', subType: null }))).urgent).toBe(true);
    });

    it('stores overSla true at creation when the deadline has already passed', async () => {
      const ticket = await create(gangguan({ reportedAt: '2026-11-22T21:00:00Z' }));
      expect(ticket.overSla).toBe(true);
      const exactly = await create(gangguan({ reportedAt: '2026-11-22T22:00:00Z' })); // deadline == now
      expect(exactly.overSla).toBe(true);
      const before = await create(gangguan({ reportedAt: '2026-11-22T22:00:00.001Z' }));
      expect(before.overSla).toBe(false);
    });

    it('lists policies for an admin only', async () => {
      const answer = await app.as('admin').get('/api/v1/policies');
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((p: { id: string }) => p.id)).toEqual(
        expect.arrayContaining(['GANGGUAN.*.*', 'KELUHAN.*.*', 'KELUHAN.INFORMASI.LAYANAN_KOMPOR_INDUKSI']),
      );
      expect((await cso().get('/api/v1/policies')).status).toBe(403);
    });
  });

  describe('R-T4 R-T5 R-C1 status moves', () => {
    it('walks a Gangguan to SELESAI with skips, recording resolvedAt, unitAnswer, the 24 h window and each step as an event (R-T6)', async () => {
      const ticket = await create(gangguan());
      expect((await move(ticket.number, { status: 'PENUGASAN' })).body.status).toBe('PENUGASAN');
      expect((await move(ticket.number, { status: 'PENGERJAAN', note: 'petugas di lokasi' })).body.status).toBe('PENGERJAAN');
      const done = await move(ticket.number, { status: 'SELESAI', unitAnswer: 'Pelanggan telah dihubungi / Telah ditindaklanjuti', occurredAt: '2026-11-23T08:00:30+07:00' });
      expect(done.status).toBe(200);
      expect(done.body).toMatchObject({
        status: 'SELESAI',
        resolvedAt: '2026-11-23T01:00:30.000Z',
        unitAnswer: 'Pelanggan telah dihubungi / Telah ditindaklanjuti',
        confirmationDeadline: '2026-11-24T01:00:30.000Z',
        version: 4,
      });
      const events = await unit().get(`/api/v1/tickets/${ticket.number}/events`);
      expect(events.body.items.map((e: { type: string; toStatus: string }) => `${e.type}:${e.toStatus}`)).toEqual([
        'CREATED:LAPOR',
        'STATUS_CHANGED:PENUGASAN',
        'STATUS_CHANGED:PENGERJAAN',
        'STATUS_CHANGED:SELESAI',
      ]);
      expect(events.body.items[3]).toMatchObject({ fromStatus: 'PENGERJAAN', actor: { sub: 'test-unit-542', role: 'unit' }, occurredAt: '2026-11-23T01:00:30.000Z', recordedAt: '2026-11-23T01:00:00.000Z' });
    });

    it('R-C1 gives an induction-stove Keluhan a 6 h window', async () => {
      const ticket = await create(
        keluhan({ problemType: 'INFORMASI', subType: 'LAYANAN_KOMPOR_INDUKSI', komporInduksi: { installationPowered: true } }),
      );
      const done = await move(ticket.number, { status: 'SELESAI', unitAnswer: 'Sudah diperbaiki' });
      expect(done.body.confirmationDeadline).toBe('2026-11-23T07:00:00.000Z');
    });

    it('moves a Keluhan LAPOR → DIPROSES → SELESAI and refuses Gangguan statuses', async () => {
      const ticket = await create(keluhan());
      expect((await move(ticket.number, { status: 'NYALA' })).status).toBe(409);
      expect((await move(ticket.number, { status: 'DIPROSES' })).status).toBe(200);
      expect((await move(ticket.number, { status: 'SELESAI', unitAnswer: 'ok' })).status).toBe(200);
    });

    it('refuses backward moves, DITUTUP, ISSUE_CLOSED, and BATAL from SELESAI with 409', async () => {
      const ticket = await create(gangguan());
      await move(ticket.number, { status: 'PERJALANAN' });
      expect((await move(ticket.number, { status: 'PENUGASAN' })).status).toBe(409);
      expect((await move(ticket.number, { status: 'ISSUE_CLOSED' })).status).toBe(409);
      await move(ticket.number, { status: 'SELESAI', unitAnswer: 'ok' });
      expect((await move(ticket.number, { status: 'DITUTUP' })).status).toBe(409);
      const batal = await move(ticket.number, { status: 'BATAL', reason: 'dobel' });
      expect(batal.status).toBe(409);
      expect(batal.headers.get('content-type')).toMatch(/problem\+json/);
    });

    it('cancels with a reason before SELESAI; BATAL is terminal', async () => {
      const ticket = await create(gangguan());
      expect((await move(ticket.number, { status: 'BATAL' })).status).toBe(400);
      const batal = await move(ticket.number, { status: 'BATAL', reason: 'Laporan ganda' });
      expect(batal.body).toMatchObject({ status: 'BATAL', cancelReason: 'Laporan ganda' });
      expect((await move(ticket.number, { status: 'PENUGASAN' })).status).toBe(409);
    });

    it('requires unitAnswer for SELESAI (400 naming it)', async () => {
      const ticket = await create(gangguan());
      const answer = await move(ticket.number, { status: 'SELESAI' });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe('unitAnswer');
    });

    it('refuses an occurredAt before the latest event, over 7 days old or over 2 minutes ahead', async () => {
      const ticket = await create(gangguan({ reportedAt: '2026-11-23T00:00:00Z' }));
      await move(ticket.number, { status: 'PENUGASAN', occurredAt: '2026-11-23T00:30:00Z' });
      for (const occurredAt of ['2026-11-23T00:29:59.999Z', '2026-11-16T00:59:59Z', '2026-11-23T01:02:01Z']) {
        const answer = await move(ticket.number, { status: 'PERJALANAN', occurredAt });
        expect(answer.status).toBe(400);
        expect(answer.body.errors[0].field).toBe('occurredAt');
      }
      expect((await move(ticket.number, { status: 'PERJALANAN', occurredAt: '2026-11-23T00:30:00Z' })).status).toBe(200);
    });

    it('If-Match: the current version passes, another is 412', async () => {
      const ticket = await create(gangguan());
      expect((await move(ticket.number, { status: 'PENUGASAN' }, { headers: { 'if-match': '"2"' } })).status).toBe(412);
      expect((await move(ticket.number, { status: 'PENUGASAN' }, { headers: { 'if-match': '"1"' } })).status).toBe(200);
      expect((await move(ticket.number, { status: 'PERJALANAN' }, { headers: { 'if-match': '1' } })).status).toBe(412);
    });

    it('only units move statuses; another unit gets 404', async () => {
      const ticket = await create(gangguan());
      expect((await cso().post(`/api/v1/tickets/${ticket.number}/status`, { status: 'PENUGASAN' })).status).toBe(403);
      expect((await unit('543').post(`/api/v1/tickets/${ticket.number}/status`, { status: 'PENUGASAN' })).status).toBe(404);
      expect((await unit('543').get(`/api/v1/tickets/${ticket.number}`)).status).toBe(404);
      expect((await unit('543').get(`/api/v1/tickets/${ticket.number}/events`)).status).toBe(404);
    });

    it('serialises concurrent moves of one ticket: one wins, the other is refused', async () => {
      const ticket = await create(gangguan());
      const answers = await Promise.all([move(ticket.number, { status: 'PENUGASAN' }), move(ticket.number, { status: 'PENUGASAN' })]);
      expect(answers.map((a) => a.status).sort()).toEqual([200, 409]);
    });
  });

  describe('reading', () => {
    it('any role reads a ticket by number; mobile may not read events', async () => {
      const ticket = await create(gangguan());
      for (const role of ['cso', 'mobile', 'backoffice', 'admin'] as const) {
        expect((await app.as(role).get(`/api/v1/tickets/${ticket.number}`)).body.number).toBe(ticket.number);
      }
      expect((await app.as('mobile').get(`/api/v1/tickets/${ticket.number}/events`)).status).toBe(403);
      expect((await cso().get('/api/v1/tickets/G5422026999999')).status).toBe(404);
    });
  });

  describe('Idempotency-Key', () => {
    it('returns the first answer again for the same key and body, changing nothing', async () => {
      const headers = { 'idempotency-key': 'create-once-1' };
      const first = await cso().post('/api/v1/tickets', gangguan({ description: 'sekali saja' }), { headers });
      const again = await cso().post('/api/v1/tickets', gangguan({ description: 'sekali saja' }), { headers });
      expect(again.status).toBe(201);
      expect(again.body).toEqual(first.body);
      const prisma = app.app.get(PrismaService);
      expect(await prisma.ticket.count({ where: { description: 'sekali saja' } })).toBe(1);
    });

    it('answers 422 for the same key with a different body', async () => {
      const headers = { 'idempotency-key': 'create-once-2' };
      expect((await cso().post('/api/v1/tickets', gangguan(), { headers })).status).toBe(201);
      const other = await cso().post('/api/v1/tickets', gangguan({ description: 'lain' }), { headers });
      expect(other.status).toBe(422);
      expect(other.headers.get('content-type')).toMatch(/problem\+json/);
    });

    it('makes one ticket of 10 requests with the same key at the same instant', async () => {
      const headers = { 'idempotency-key': 'create-once-3' };
      const answers = await Promise.all(Array.from({ length: 10 }, () => cso().post('/api/v1/tickets', gangguan({ description: 'serentak' }), { headers })));
      expect(answers.every((a) => a.status === 201)).toBe(true);
      expect(new Set(answers.map((a) => a.body.number)).size).toBe(1);
      const prisma = app.app.get(PrismaService);
      expect(await prisma.ticket.count({ where: { description: 'serentak' } })).toBe(1);
    });

    it('does not replay one caller’s answer to another', async () => {
      const headers = { 'idempotency-key': 'shared-key' };
      const a = await cso().post('/api/v1/tickets', gangguan(), { headers });
      const b = await app.as('mobile').post('/api/v1/tickets', gangguan({ channel: 'PLN_MOBILE' }), { headers });
      expect(b.status).toBe(201);
      expect(b.body.number).not.toBe(a.body.number);
    });
  });
});
