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
});
