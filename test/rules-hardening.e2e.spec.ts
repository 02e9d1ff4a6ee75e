import { FakeClock } from '../src/clock/clock';
import { JobsService } from '../src/jobs/jobs.service';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';

// Issue 14, DOMAIN points 1–8, 11, 14: the rules the seed audit found read wrong or incompletely.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-11-23T01:00:00Z');

describe('issue 14 rules', () => {
  const clock = new FakeClock(new Date(T0));
  let app: TestApp;
  let jobs: JobsService;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    jobs = app.app.get(JobsService);
    await registerUnits(app, '542');
    expect((await app.as('admin').put('/api/v1/units/547', { name: 'Unit 547', timeZone: 'Asia/Makassar' })).status).toBe(200);
  });
  afterAll(() => app.close());
  beforeEach(() => clock.set(new Date(T0)));

  const cso = () => app.as('cso');
  const create = async (body: Record<string, unknown>) => {
    const answer = await cso().post('/api/v1/tickets', body);
    if (answer.status !== 201) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const get = async (number: string) => (await cso().get(`/api/v1/tickets/${number}`)).body;
  const events = async (number: string) => (await cso().get(`/api/v1/tickets/${number}/events`)).body.items;
  const move = async (number: string, body: Record<string, unknown>, unit = '542') => {
    const answer = await app.as('unit', unit).post(`/api/v1/tickets/${number}/status`, body);
    if (answer.status !== 200) throw new Error(JSON.stringify(answer.body));
    return answer.body;
  };
  const komporKeluhan = (over: Record<string, unknown> = {}) =>
    keluhan({ problemType: 'INFORMASI', subType: 'LAYANAN_KOMPOR_INDUKSI', komporInduksi: { installationPowered: true }, description: 'Kompor induksi tidak menyala', ...over });

  describe('R-J2 auto-transfer problem type from the policy', () => {
    it('creates the Gangguan with the policy\'s autoTransferProblemType', async () => {
      const put = await app.as('admin').put('/api/v1/policies/KELUHAN.INFORMASI.LAYANAN_KOMPOR_INDUKSI', { autoTransferProblemType: 'JALUR_MASAK_PADAM' });
      expect(put.status).toBe(200);
      try {
        const k = await create(komporKeluhan());
        clock.advance(61 * MINUTE);
        await jobs.runAll();
        const g = await get((await get(k.number)).transferredToNumber);
        expect(g).toMatchObject({ kind: 'GANGGUAN', problemType: 'JALUR_MASAK_PADAM' });
      } finally {
        await app.as('admin').put('/api/v1/policies/KELUHAN.INFORMASI.LAYANAN_KOMPOR_INDUKSI', { autoTransferProblemType: 'KOMPOR_INDUKSI' });
      }
    });
  });

  describe('R-J3 R-S2 SLA-breach marking keeps lastEventAt (issue 14 point 14)', () => {
    it('a status move dated before the SLA_BREACHED event is refused', async () => {
      const t = await create(gangguan());
      clock.set(new Date(T0 + 3 * HOUR + 10 * MINUTE));
      await jobs.runAll();
      expect((await events(t.number)).at(-1)).toMatchObject({ type: 'SLA_BREACHED', occurredAt: clock.now().toISOString() });
      const early = await app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'PENUGASAN', occurredAt: new Date(T0 + 3 * HOUR + 5 * MINUTE).toISOString() });
      expect(early.status).toBe(400);
      expect(early.body.errors[0].field).toBe('occurredAt');
    });
  });

  describe('R-T7 times in notes are the unit\'s local time', () => {
    it('R-J3 writes the SLA deadline as WIB', async () => {
      const t = await create(gangguan());
      clock.set(new Date(T0 + 3 * HOUR));
      await jobs.runAll();
      expect((await events(t.number)).at(-1).note).toBe('Melebihi SLA: batas waktu 23/11/2026 11:00 WIB');
    });

    it('R-J1 writes the confirmation deadline as WITA for a unit in Asia/Makassar', async () => {
      const t = await create(gangguan({ unitCode: '547' }));
      await move(t.number, { status: 'SELESAI', unitAnswer: 'Sudah normal' }, '547');
      clock.set(new Date(T0 + 24 * HOUR));
      await jobs.runAll();
      expect((await events(t.number)).at(-1)).toMatchObject({
        type: 'AUTO_CLOSED',
        note: 'Pelanggan tidak konfirmasi sampai 24/11/2026 09:00 WITA: dianggap telah selesai ditindaklanjuti',
      });
    });

    it('R-R2 names the SLA deadline in local time in the escalation note', async () => {
      const t = await create(gangguan({ unitCode: '547' }));
      clock.set(new Date(T0 + 4 * HOUR));
      const answer = await cso().post(`/api/v1/tickets/${t.number}/re-reports`, {});
      expect(answer.body.escalations[0].note).toContain('batas 23/11/2026 12:00 WITA');
    });
  });

  describe('R-K2 keterangan of the no-ID-Pel induction-stove ticket', () => {
    const TEXT = 'LAPORAN MENGENAI KOMPOR INDUKSI DENGAN ID PEL -. Kompor induksi tidak menyala. IB PELANGGAN TIDAK BERMASALAH, MOHON DI LAKUKAN PENANGANAN.';

    it('keeps the complaint in keterangan and ends the CALLBACK_PELANGGAN note with it', async () => {
      const t = await create(komporKeluhan({ customer: { name: 'Ani', phone: '081200000001' }, komporInduksi: undefined, callbackAt: '2026-11-23T15:00:00+07:00' }));
      expect(t).toMatchObject({ status: 'ISSUE_CLOSED', description: 'Laporan mengenai Kompor Induksi Pelanggan belum melengkapi ID PEL', keterangan: TEXT });
      const queue = (await app.as('backoffice').get('/api/v1/escalations?category=CALLBACK_PELANGGAN')).body.items;
      const item = queue.find((e: { ticketNumber: string }) => e.ticketNumber === t.number);
      expect(item.note.endsWith(TEXT)).toBe(true);
    });

    it('stores the create field keterangan (up to 2,000 characters)', async () => {
      expect((await create(gangguan({ keterangan: 'Rumah di belakang masjid' }))).keterangan).toBe('Rumah di belakang masjid');
      const long = await cso().post('/api/v1/tickets', gangguan({ keterangan: 'x'.repeat(2001) }));
      expect(long.status).toBe(400);
      expect(long.body.errors[0].field).toBe('keterangan');
    });
  });

  describe('R-E4 callbacks when asked', () => {
    const backoffice = () => app.as('backoffice');
    const drain = async () => {
      for (;;) {
        const claimed = await backoffice().post('/api/v1/escalations/claim-next', {});
        if (claimed.status === 204) return;
        await backoffice().post(`/api/v1/escalations/${claimed.body.id}/done`, { note: 'x' });
      }
    };

    it('never hands out an item more than 5 minutes before its callbackAt, then ranks it by callbackAt', async () => {
      await drain();
      const esc = (body: Record<string, unknown>) => cso().post('/api/v1/escalations', { category: 'REQUEST_CALLBACK', ...body });
      const later = (await esc({ note: 'later', callbackAt: new Date(T0 + 2 * HOUR).toISOString() })).body;
      clock.advance(MINUTE);
      const plain = (await esc({ note: 'plain' })).body;
      clock.advance(MINUTE);
      const sooner = (await esc({ note: 'sooner', callbackAt: new Date(T0 + 30 * MINUTE).toISOString() })).body;
      const claim = async () => (await backoffice().post('/api/v1/escalations/claim-next', {})).body?.id;
      expect(await claim()).toBe(plain.id);
      expect((await backoffice().post('/api/v1/escalations/claim-next', {})).status).toBe(204);
      clock.set(new Date(T0 + 25 * MINUTE - 1));
      expect((await backoffice().post('/api/v1/escalations/claim-next', {})).status).toBe(204);
      clock.set(new Date(T0 + 2 * HOUR - 5 * MINUTE));
      expect(await claim()).toBe(sooner.id); // both due: the earlier callbackAt first, though queued last
      expect(await claim()).toBe(later.id);
    });

    it('the back office creates the follow-up ticket with referenceNumber', async () => {
      const t = await create(komporKeluhan({ customer: { name: 'Ani', phone: '081200000001' }, komporInduksi: undefined, callbackAt: '2026-11-23T15:00:00+07:00' }));
      const followUp = await backoffice().post('/api/v1/tickets', komporKeluhan({ referenceNumber: t.number }));
      expect(followUp.status).toBe(201);
      expect(followUp.body).toMatchObject({ status: 'LAPOR', referenceNumber: t.number });
      const noReference = await backoffice().post('/api/v1/tickets', komporKeluhan());
      expect(noReference.status).toBe(400);
      expect(noReference.body.errors[0].field).toBe('referenceNumber');
    });

    it('finishing an item that names a ticket writes ESCALATION_DONE with the done note on that ticket', async () => {
      await drain();
      const t = await create(gangguan());
      const item = (await cso().post('/api/v1/escalations', { category: 'URGENT', ticketNumber: t.number, note: 'Segera' })).body;
      const claimed = await backoffice().post('/api/v1/escalations/claim-next', {});
      expect(claimed.body.id).toBe(item.id);
      clock.advance(MINUTE);
      expect((await backoffice().post(`/api/v1/escalations/${item.id}/done`, { note: 'Pelanggan telah dihubungi' })).status).toBe(200);
      expect((await events(t.number)).at(-1)).toMatchObject({ type: 'ESCALATION_DONE', note: 'URGENT: Pelanggan telah dihubungi', occurredAt: clock.now().toISOString() });
    });

    it('R-T6 issue 14 point 14: the ESCALATED event moves lastEventAt, version and updatedAt', async () => {
      const t = await create(gangguan());
      clock.advance(10 * MINUTE);
      await cso().post('/api/v1/escalations', { category: 'URGENT', ticketNumber: t.number, note: 'Segera' });
      const after = await get(t.number);
      expect(after).toMatchObject({ version: 2, updatedAt: clock.now().toISOString() });
      const early = await app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'PENUGASAN', occurredAt: new Date(clock.now().getTime() - MINUTE).toISOString() });
      expect(early.status).toBe(400);
    });
  });

  const reReport = (number: string, body: Record<string, unknown> = {}) => cso().post(`/api/v1/tickets/${number}/re-reports`, body);
  const finish = (number: string, unitAnswer: string) => move(number, { status: 'SELESAI', unitAnswer });
  const imlReport = (over: Record<string, unknown> = {}) =>
    gangguan({ problemType: 'TETANGGA_TIDAK_TURUT_PADAM', woType: 'IML_LISTRIQU', description: 'MCB dalam turun', iml: { willingToPay: true, preferredVisitDate: '2026-11-25' }, ...over });

  describe('R-R7a issue-closed previous ticket', () => {
    async function fourthIdentical() {
      const a = await create(gangguan());
      await finish(a.number, 'Sudah normal');
      const b = (await reReport(a.number)).body.ticket;
      await finish(b.number, 'Sudah normal');
      const c = (await reReport(b.number)).body.ticket;
      await finish(c.number, 'Sudah normal');
      const issueClosed = (await reReport(c.number)).body;
      expect(issueClosed.treatment).toBe('ISSUE_CLOSED');
      return { c, issueClosed: issueClosed.ticket };
    }

    it('a re-report naming R-R4\'s issue-closed ticket applies to its reference: again ISSUE_CLOSED', async () => {
      const { c, issueClosed } = await fourthIdentical();
      const fifth = await reReport(issueClosed.number, { note: 'Masih padam' });
      expect(fifth.status).toBe(201);
      expect(fifth.body).toMatchObject({ treatment: 'ISSUE_CLOSED', previous: { number: c.number } });
      expect(fifth.body.ticket).toMatchObject({ status: 'ISSUE_CLOSED', referenceNumber: c.number });
    });

    it.each([
      ['an agent\'s issue-closed report', () => create(gangguan({ issueClosed: true }))],
      ['R-K2\'s stove complaint without ID Pel', () => create(komporKeluhan({ customer: { name: 'Ani', phone: '081200000001' }, komporInduksi: undefined, callbackAt: '2026-11-23T15:00:00+07:00' }))],
    ])('any other ISSUE_CLOSED ticket (%s) → 409 not-repeatable', async (_, make) => {
      const t = await make();
      const answer = await reReport(t.number);
      expect(answer.status).toBe(409);
      expect(answer.body.type).toMatch(/\/not-repeatable$/);
    });
  });

  describe('required texts and rule-bound fields (stop 54 audit)', () => {
    const field = (answer: { status: number; body: any }) => [answer.status, answer.body.errors?.[0]?.field];
    it('a required text of blanks only is as empty as "": 400 naming it, nothing stored', async () => {
      expect(field(await cso().post('/api/v1/tickets', gangguan({ description: ' \t\n ' })))).toEqual([400, 'description']);
      expect(field(await cso().post('/api/v1/tickets', gangguan({ customer: { name: '   ', phone: '081234567890' } })))).toEqual([400, 'customer.name']);
      const t = await create(gangguan());
      expect(field(await app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'SELESAI', unitAnswer: '   ' }))).toEqual([400, 'unitAnswer']);
      expect(field(await app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'BATAL', reason: ' ' }))).toEqual([400, 'reason']);
      expect(field(await cso().post(`/api/v1/tickets/${t.number}/updates`, { note: '  ' }))).toEqual([400, 'note']);
      expect(await get(t.number)).toMatchObject({ status: 'LAPOR', counters: { updateCount: 0 } });
      // "" is named once, as before
      const empty = await cso().post(`/api/v1/tickets/${t.number}/updates`, { note: '' });
      expect([empty.status, empty.body.errors]).toEqual([400, [{ field: 'note', message: 'note should not be empty' }]]);
    });

    it('callbackAt outside R-K2\'s case: 400 naming it', async () => {
      expect(field(await cso().post('/api/v1/tickets', gangguan({ callbackAt: '2026-11-23T15:00:00+07:00' })))).toEqual([400, 'callbackAt']);
    });
  });

  describe('R-R10 successorNumber', () => {
    it('Lapor Ulang names the new ticket on the earlier one; update notes and confirmation then 409 naming it', async () => {
      const t = await create(gangguan());
      await finish(t.number, 'Sudah normal');
      const answer = await reReport(t.number);
      expect(answer.body.treatment).toBe('LAPOR_ULANG');
      const successor = answer.body.ticket.number;
      expect(answer.body.previous).toMatchObject({ status: 'DITUTUP', closeReason: 'RE_REPORTED', successorNumber: successor });
      const update = await cso().post(`/api/v1/tickets/${t.number}/updates`, { note: 'Masih padam' });
      expect(update.status).toBe(409);
      expect(update.body.detail).toContain(successor);
      const confirmation = await cso().post(`/api/v1/tickets/${t.number}/confirmation`, { resolved: true });
      expect(confirmation.status).toBe(409);
      expect(confirmation.body.detail).toContain(successor);
    });

    it('"Belum" confirmation, Laporan Baru and R-R4\'s issue-closed ticket name their successor; the newest wins', async () => {
      const t = await create(gangguan());
      await finish(t.number, 'Sudah normal');
      const belum = (await cso().post(`/api/v1/tickets/${t.number}/confirmation`, { resolved: false })).body;
      expect(belum.ticket.successorNumber).toBe(belum.newTicket.number);

      const n = await create(gangguan());
      await move(n.number, { status: 'NYALA' });
      const first = (await reReport(n.number)).body;
      const second = (await reReport(n.number)).body;
      expect(first.treatment).toBe('LAPORAN_BARU');
      expect((await get(n.number)).successorNumber).toBe(second.ticket.number);
    });

    it('R-T6: the link is an event of the earlier ticket naming the new one, whatever made it (stop 54 audit)', async () => {
      const eventsOf = async (number: string) => (await cso().get(`/api/v1/tickets/${number}/events`)).body.items as { type: string; note: string | null }[];
      const naming = (events: { note: string | null }[], number: string) => events.filter((e) => e.note?.includes(number));
      // R-R5: Laporan Baru from a NYALA ticket, twice
      const n = await create(gangguan());
      await move(n.number, { status: 'NYALA' });
      const before = (await eventsOf(n.number)).length;
      const first = (await reReport(n.number)).body;
      const second = (await reReport(n.number)).body;
      expect([first.treatment, second.treatment]).toEqual(['LAPORAN_BARU', 'LAPORAN_BARU']);
      const events = await eventsOf(n.number);
      expect(events.slice(before).map((e) => e.type)).toEqual(['RE_REPORTED', 'RE_REPORTED']);
      expect(naming(events, first.ticket.number)).toHaveLength(1);
      expect(naming(events, second.ticket.number)).toHaveLength(1);
      expect((await get(n.number)).version).toBe(events.length);
      // R-R3 (Lapor Ulang) and a "Belum" confirmation: one event names the new ticket, not two
      const t = await create(gangguan());
      await finish(t.number, 'Sudah normal');
      const belum = (await cso().post(`/api/v1/tickets/${t.number}/confirmation`, { resolved: false })).body;
      expect(naming(await eventsOf(t.number), belum.newTicket.number)).toHaveLength(1);
    });

    it('R-J2 names the Gangguan on the auto-transferred Keluhan', async () => {
      const k = await create(komporKeluhan());
      clock.advance(61 * MINUTE);
      await jobs.runAll();
      const after = await get(k.number);
      expect(after.successorNumber).toBe(after.transferredToNumber);
    });
  });

  describe('R-I6 R-I7 cancelled ListriQu orders and reserved reasons', () => {
    it('R-I6 a re-report of a forwarded Gangguan whose order is BATAL is an IML report made again', async () => {
      const t = await create(imlReport());
      const cancelled = await cso().post(`/api/v1/tickets/${t.number}/iml-corrections`, { action: 'CANCEL', note: 'Pelanggan membatalkan' });
      expect(cancelled.status).toBe(201);
      const answer = await reReport(t.number, { note: 'Listrik rumah padam lagi' });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ treatment: 'LAPORAN_BARU', order: null });
      expect(answer.body.ticket).toMatchObject({
        kind: 'GANGGUAN', status: 'BATAL', cancelReason: 'DITERUSKAN_KE_LISTRIQU', woType: 'IML_LISTRIQU', referenceNumber: t.number, description: 'Listrik rumah padam lagi',
      });
      expect(answer.body.previous.successorNumber).toBe(answer.body.ticket.number);
      const orders = (await cso().get('/api/v1/listriqu/orders?status=REQUEST')).body.items;
      expect(orders.map((o: { ticketNumber: string }) => o.ticketNumber)).toContain(answer.body.ticket.number);
    });

    it('R-I4 still holds while the order is alive', async () => {
      const t = await create(imlReport());
      expect((await reReport(t.number)).body.treatment).toBe('LAPOR_ULANG_LISTRIQU');
    });

    it.each(['DITERUSKAN_KE_LISTRIQU', 'AUTO_TRANSFER', ' auto_transfer '])('R-I7 a unit cancelling with the reason %p → 400', async (reason) => {
      const t = await create(gangguan());
      const answer = await app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'BATAL', reason });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe('reason');
    });
  });

  describe('issue 14 point 11: callbackAt and visit dates against the present', () => {
    it.each([
      ['a stove callback 3 years ago', () => cso().post('/api/v1/tickets', komporKeluhan({ customer: { name: 'Ani', phone: '081200000001' }, komporInduksi: undefined, callbackAt: '2023-11-23T15:00:00+07:00' })), 'callbackAt'],
      ['a stove callback in 2099', () => cso().post('/api/v1/tickets', komporKeluhan({ customer: { name: 'Ani', phone: '081200000001' }, komporInduksi: undefined, callbackAt: '2099-11-23T15:00:00+07:00' })), 'callbackAt'],
      ['an escalation callback in 2099', () => cso().post('/api/v1/escalations', { category: 'REQUEST_CALLBACK', note: 'x', callbackAt: '2099-01-01T08:00:00+07:00' }), 'callbackAt'],
      ['a stove visit last week', () => cso().post('/api/v1/tickets', komporKeluhan({ komporInduksi: { installationPowered: false, paymentType: 'PRABAYAR', mcbPln: 'ON', preferredVisitDate: '2026-11-16' } })), 'komporInduksi.preferredVisitDate'],
      ['an IML visit in 2099', () => cso().post('/api/v1/tickets', imlReport({ iml: { willingToPay: true, preferredVisitDate: '2099-11-25' } })), 'iml.preferredVisitDate'],
    ])('400 for %s', async (_, send, field) => {
      const answer = await send();
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe(field);
    });

    it('400 for an IML correction to a visit date in the past', async () => {
      const t = await create(imlReport());
      const answer = await cso().post(`/api/v1/tickets/${t.number}/iml-corrections`, { action: 'EDIT', note: 'TANGGAL KUNJUNGAN', preferredVisitDate: '2026-01-01' });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe('preferredVisitDate');
    });
  });
});
