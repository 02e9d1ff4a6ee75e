import { FakeClock } from '../src/clock/clock';
import { TestApp } from './support/app';
import { createTicket, gangguan, registerUnits } from './support/fixtures';

// Issue 7, the ListriQu half: R-I1…R-I5 over HTTP against a real PostgreSQL.
const T0 = Date.parse('2026-11-23T01:00:00Z'); // 08:00 WIB
const MINUTE = 60_000;
const ESDM = 'TELAH DIINFORMASIKAN MENGHUBUNGI CC ESDM DI 021-136';
const PROBLEM = 'GANGGUAN IML, PADAM SEBAGIAN RUMAH, MCB DALAM/SEKRING TURUN';

const imlReport = (over: Record<string, unknown> = {}) =>
  gangguan({
    problemType: 'TETANGGA_TIDAK_TURUT_PADAM',
    woType: 'IML_LISTRIQU',
    description: PROBLEM,
    iml: { willingToPay: true, preferredVisitDate: '2026-11-25', regency: 'Kota Bandung', district: 'Coblong', village: 'Dago', landmark: 'Dekat masjid', latitude: -6.9, longitude: 107.6 },
    ...over,
  });

const SEEDED_COVERAGE = [
  ['BANTEN', '2021-04-05'],
  ['DI YOGYAKARTA', '2021-04-05'],
  ['DKI JAKARTA', '2021-04-05'],
  ['JAWA BARAT', '2021-04-05'],
  ['JAWA TENGAH', '2021-04-05'],
  ['JAWA TIMUR', '2021-04-05'],
  ['KALIMANTAN BARAT', '2021-06-07'],
  ['NUSA TENGGARA BARAT', '2021-06-07'],
  ['BALI', '2021-07-07'],
  ['KALIMANTAN TIMUR', '2021-07-07'],
  ['KALIMANTAN UTARA', '2021-07-07'],
  ['KEPULAUAN BANGKA BELITUNG', '2021-07-13'],
  ['LAMPUNG', '2021-07-13'],
  ['KALIMANTAN SELATAN', '2021-07-26'],
  ['KALIMANTAN TENGAH', '2021-07-26'],
  ['SUMATERA BARAT', '2021-07-26'],
].map(([province, startDate]) => ({ province, startDate }));

describe('ListriQu (IML reports)', () => {
  const clock = new FakeClock(new Date(T0));
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());
  beforeEach(() => clock.set(new Date(T0)));

  const cso = () => app.as('cso');
  const listriqu = () => app.as('listriqu');
  const create = (body: Record<string, unknown>) => createTicket(app, body);
  const events = async (number: string) => (await cso().get(`/api/v1/tickets/${number}/events`)).body.items as { type: string; note: string | null }[];
  const orderOf = async (number: string) => {
    const answer = await cso().get(`/api/v1/listriqu/orders?limit=200`);
    return answer.body.items.find((o: { ticketNumber: string }) => o.ticketNumber === number);
  };
  const moveOrder = (number: string, body: Record<string, unknown>) => listriqu().post(`/api/v1/listriqu/orders/${number}/status`, body);
  const correct = (number: string, body: Record<string, unknown>) => cso().post(`/api/v1/tickets/${number}/iml-corrections`, body);
  const putCoverage = (province: string, startDate: string) => app.as('admin').put(`/api/v1/listriqu/coverage/${encodeURIComponent(province)}`, { startDate });

  describe('R-I1 coverage', () => {
    it('lists the seeded coverage to every role', async () => {
      const answer = await app.as('unit', '542').get('/api/v1/listriqu/coverage');
      expect(answer.status).toBe(200);
      expect(answer.body.items).toEqual(SEEDED_COVERAGE);
    });

    it('lets an admin set a province start date, the province matched ignoring case and spaces', async () => {
      const answer = await putCoverage('  aceh ', '2027-01-01');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ province: 'ACEH', startDate: '2027-01-01' });
      const list = (await cso().get('/api/v1/listriqu/coverage')).body.items;
      expect(list).toContainEqual({ province: 'ACEH', startDate: '2027-01-01' });
    });

    it('answers 400 naming the province for an unknown province, and startDate for a day that does not exist', async () => {
      const unknown = await putCoverage('ATLANTIS', '2021-04-05');
      expect(unknown.status).toBe(400);
      expect(unknown.body.errors[0].field).toBe('province');
      const badDate = await putCoverage('BALI', '2021-02-30');
      expect(badDate.status).toBe(400);
      expect(badDate.body.errors[0].field).toBe('startDate');
    });

    it('refuses anyone but an admin (403)', async () => {
      expect((await cso().put('/api/v1/listriqu/coverage/BALI', { startDate: '2021-07-07' })).status).toBe(403);
      expect((await listriqu().put('/api/v1/listriqu/coverage/BALI', { startDate: '2021-07-07' })).status).toBe(403);
    });

    it('decides on the day of reportedAt in the unit time zone (Asia/Jakarta): a province from tomorrow is outside today', async () => {
      expect((await putCoverage('PAPUA', '2026-11-24')).status).toBe(200);
      const today = await create(imlReport({ customer: { name: 'Yan', phone: '081234567890', province: 'PAPUA' } }));
      expect(today).toMatchObject({ kind: 'KELUHAN', status: 'ISSUE_CLOSED' });

      expect((await putCoverage('PAPUA', '2026-11-23')).status).toBe(200);
      const lastNight = await create(imlReport({ customer: { name: 'Yan', phone: '081234567890', province: 'PAPUA' }, reportedAt: '2026-11-22T23:30:00+07:00' }));
      expect(lastNight).toMatchObject({ kind: 'KELUHAN', status: 'ISSUE_CLOSED' });
      const justAfterMidnight = await create(imlReport({ customer: { name: 'Yan', phone: '081234567890', province: 'PAPUA' }, reportedAt: '2026-11-23T00:30:00+07:00' }));
      expect(justAfterMidnight).toMatchObject({ kind: 'GANGGUAN', status: 'BATAL', cancelReason: 'DITERUSKAN_KE_LISTRIQU' }); // 17:30Z on the 22nd
    });
  });

  describe('R-I2 routing of an IML report', () => {
    it('forwards a covered report of a customer who will pay: IML_LISTRIQU, BATAL / DITERUSKAN_KE_LISTRIQU, order REQUEST', async () => {
      const answer = await cso().post('/api/v1/tickets', imlReport());
      expect(answer.status).toBe(201);
      const t = answer.body;
      expect(t).toMatchObject({
        kind: 'GANGGUAN',
        status: 'BATAL',
        cancelReason: 'DITERUSKAN_KE_LISTRIQU',
        problemType: 'TETANGGA_TIDAK_TURUT_PADAM',
        woType: 'IML_LISTRIQU',
        description: PROBLEM,
        closedAt: '2026-11-23T01:00:00.000Z',
        overSla: false,
        customer: { name: 'Budi', phone: '081234567890', province: 'JAWA BARAT', address: 'Jl. Merdeka 1' },
      });
      expect(t.number).toMatch(/^G5422026\d{6}$/);
      expect((await events(t.number)).map((e) => e.type)).toEqual(['CREATED', 'FORWARDED_TO_LISTRIQU']);
      expect(await orderOf(t.number)).toEqual({
        ticketNumber: t.number,
        status: 'REQUEST',
        willingToPay: true,
        province: 'JAWA BARAT',
        address: 'Jl. Merdeka 1',
        preferredVisitDate: '2026-11-25',
        repeatCount: 0,
        createdAt: '2026-11-23T01:00:00.000Z',
        updatedAt: '2026-11-23T01:00:00.000Z',
      });
    });

    it('forwards a covered report of a customer who will not pay, who need give only the province: IML_NON_LISTRIQU, WO prefixed LISTRIQU : ', async () => {
      const t = await create(imlReport({ woType: 'IML_NON_LISTRIQU', customer: { province: 'dki jakarta' }, iml: { willingToPay: false } }));
      expect(t).toMatchObject({
        kind: 'GANGGUAN',
        status: 'BATAL',
        cancelReason: 'DITERUSKAN_KE_LISTRIQU',
        woType: 'IML_NON_LISTRIQU',
        description: `LISTRIQU : ${PROBLEM}`,
        customer: { name: null, phone: null, province: 'DKI JAKARTA' },
      });
      expect(await orderOf(t.number)).toMatchObject({ status: 'REQUEST', willingToPay: false, province: 'DKI JAKARTA', address: null, preferredVisitDate: null });
    });

    it('takes the WO type from the willingness to pay, whichever IML type was sent', async () => {
      const t = await create(imlReport({ woType: 'IML_NON_LISTRIQU' }));
      expect(t.woType).toBe('IML_LISTRIQU');
    });

    it('outside coverage (SUMATERA SELATAN) is an issue-closed Keluhan INFORMASI / KONDISI_JARINGAN_LISTRIK ending with the ESDM text, with no order', async () => {
      const t = await create(imlReport({ customer: { name: 'Sari', phone: '081234567899', address: 'Jl. Sudirman 5, Palembang', province: 'Sumatera Selatan' } }));
      expect(t).toMatchObject({
        kind: 'KELUHAN',
        status: 'ISSUE_CLOSED',
        problemType: 'INFORMASI',
        subType: 'KONDISI_JARINGAN_LISTRIK',
        woType: null,
        cancelReason: null,
        description: `${PROBLEM}, ${ESDM}`,
        customer: { name: 'Sari', province: 'SUMATERA SELATAN' },
      });
      expect(t.number).toMatch(/^K5422026\d{6}$/);
      expect(t.description.endsWith(ESDM)).toBe(true);
      expect((await events(t.number)).map((e) => e.type)).toEqual(['CREATED']);
      expect(await orderOf(t.number)).toBeUndefined();
    });

    it.each([
      ['iml.willingToPay missing', { iml: { preferredVisitDate: '2026-11-25' } }, 'iml.willingToPay'],
      ['willingToPay not a boolean', { iml: { willingToPay: 'yes' } }, 'iml.willingToPay'],
      ['iml missing', { iml: undefined }, 'iml'],
      ['customer.province missing', { customer: { name: 'Budi', phone: '081234567890' } }, 'customer.province'],
      ['an unknown province', { customer: { name: 'Budi', phone: '081234567890', province: 'ATLANTIS' } }, 'customer.province'],
      ['another problem type', { problemType: 'PADAM_1_RUMAH' }, 'problemType'],
      ['a Keluhan', { kind: 'KELUHAN' }, 'kind'],
      ['a paying customer with no phone', { customer: { name: 'Budi', province: 'JAWA BARAT' } }, 'customer.phone'],
      ['an issue-closed flag', { issueClosed: true }, 'issueClosed'],
    ])('answers 400 for %s, naming %s', async (_, over, field) => {
      const answer = await cso().post('/api/v1/tickets', imlReport(over));
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    });
  });

  describe('orders list (ListriQu polls this)', () => {
    it('pages oldest first by updatedAt then ticketNumber, filtered by status and updatedSince', async () => {
      clock.set(new Date(T0 + 60 * MINUTE));
      const a = await create(imlReport());
      const b = await create(imlReport());
      clock.set(new Date(T0 + 61 * MINUTE));
      const c = await create(imlReport());
      clock.set(new Date(T0 + 62 * MINUTE));
      expect((await moveOrder(b.number, { status: 'ORDER' })).status).toBe(200); // b is now the newest
      const since = encodeURIComponent(new Date(T0 + 60 * MINUTE).toISOString());

      const page1 = await listriqu().get(`/api/v1/listriqu/orders?updatedSince=${since}&limit=2`);
      expect(page1.status).toBe(200);
      expect(page1.body.items.map((o: { ticketNumber: string }) => o.ticketNumber)).toEqual([a.number, c.number]);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await listriqu().get(`/api/v1/listriqu/orders?updatedSince=${since}&limit=2&cursor=${page1.body.nextCursor}`);
      expect(page2.body.items.map((o: { ticketNumber: string }) => o.ticketNumber)).toEqual([b.number]);
      expect(page2.body.nextCursor).toBeNull();

      const ordered = await app.as('admin').get(`/api/v1/listriqu/orders?updatedSince=${since}&status=ORDER,PENUGASAN`);
      expect(ordered.body.items.map((o: { ticketNumber: string }) => o.ticketNumber)).toEqual([b.number]);
      const requested = await listriqu().get(`/api/v1/listriqu/orders?updatedSince=${since}&status=REQUEST`);
      expect(requested.body.items.map((o: { ticketNumber: string }) => o.ticketNumber)).toEqual([a.number, c.number]);
    });

    it('answers 400 for a bad filter, limit or cursor', async () => {
      for (const query of ['status=DONE', 'updatedSince=yesterday', 'limit=0', 'limit=201', 'cursor=xyz']) {
        const answer = await listriqu().get(`/api/v1/listriqu/orders?${query}`);
        expect(answer.status).toBe(400);
      }
    });

    it('is for listriqu, cso and admin only (403)', async () => {
      expect((await app.as('unit', '542').get('/api/v1/listriqu/orders')).status).toBe(403);
      expect((await app.as('backoffice').get('/api/v1/listriqu/orders')).status).toBe(403);
      expect((await app.as('mobile').get('/api/v1/listriqu/orders')).status).toBe(403);
    });
  });

  describe('R-I5 order status', () => {
    it('moves forward only, skips allowed, each move an event on the forwarded ticket', async () => {
      const t = await create(imlReport());
      clock.set(new Date(T0 + 5 * MINUTE));
      const ordered = await moveOrder(t.number, { status: 'ORDER' });
      expect(ordered.status).toBe(200);
      expect(ordered.body).toMatchObject({ ticketNumber: t.number, status: 'ORDER', updatedAt: new Date(T0 + 5 * MINUTE).toISOString() });
      expect((await moveOrder(t.number, { status: 'ORDER' })).status).toBe(409);
      expect((await moveOrder(t.number, { status: 'REQUEST' })).status).toBe(409);
      expect((await moveOrder(t.number, { status: 'BATAL' })).status).toBe(409);
      const done = await moveOrder(t.number, { status: 'SELESAI', occurredAt: '2026-11-23T08:05:00+07:00' });
      expect(done.status).toBe(200);
      expect(done.body.status).toBe('SELESAI');
      expect((await moveOrder(t.number, { status: 'PENUGASAN' })).status).toBe(409);

      const history = await events(t.number);
      expect(history.map((e) => e.type)).toEqual(['CREATED', 'FORWARDED_TO_LISTRIQU', 'LISTRIQU_STATUS_CHANGED', 'LISTRIQU_STATUS_CHANGED']);
      expect(history.slice(2).map((e) => e.note)).toEqual(['ListriQu: REQUEST → ORDER', 'ListriQu: ORDER → SELESAI']);
      expect(await cso().get(`/api/v1/tickets/${t.number}`)).toMatchObject({ body: { status: 'BATAL' } });
    });

    it('refuses an occurredAt before the ticket latest event (400)', async () => {
      const t = await create(imlReport());
      const answer = await moveOrder(t.number, { status: 'ORDER', occurredAt: '2026-11-23T07:00:00+07:00' });
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe('occurredAt');
    });

    it('answers 404 for a ticket with no order, 400 for an unknown status, 403 for anyone but listriqu', async () => {
      const plain = await create(gangguan());
      expect((await moveOrder(plain.number, { status: 'ORDER' })).status).toBe(404);
      expect((await moveOrder('G5422026999999', { status: 'ORDER' })).status).toBe(404);
      const t = await create(imlReport());
      expect((await moveOrder(t.number, { status: 'DONE' })).status).toBe(400);
      expect((await cso().post(`/api/v1/listriqu/orders/${t.number}/status`, { status: 'ORDER' })).status).toBe(403);
    });
  });

  describe('R-I3 edit / cancel', () => {
    it('EDIT while ORDER changes the visit date and records an issue-closed Keluhan with the exact WO', async () => {
      const t = await create(imlReport());
      await moveOrder(t.number, { status: 'ORDER' });
      clock.set(new Date(T0 + 10 * MINUTE));
      const answer = await correct(t.number, { action: 'EDIT', note: 'TANGGAL KUNJUNGAN', preferredVisitDate: '2026-11-27' });
      expect(answer.status).toBe(201);
      expect(answer.body.ticket).toMatchObject({
        kind: 'KELUHAN',
        status: 'ISSUE_CLOSED',
        problemType: 'INFORMASI',
        subType: 'KONDISI_JARINGAN_LISTRIK',
        referenceNumber: t.number,
        description: `${PROBLEM}. KOREKSI TANGGAL KUNJUNGAN. NO. LAPOR SEBELUMNYA ${t.number}, TELAH DISESUAIKAN DI APLIKASI LISTRIQU.`,
        customer: { name: 'Budi', province: 'JAWA BARAT' },
      });
      expect(answer.body.order).toMatchObject({ ticketNumber: t.number, status: 'ORDER', preferredVisitDate: '2026-11-27', updatedAt: new Date(T0 + 10 * MINUTE).toISOString() });
      expect(await orderOf(t.number)).toEqual(answer.body.order);
      const history = await events(t.number);
      expect(history.at(-1)).toMatchObject({ type: 'IML_CORRECTED', note: expect.stringContaining(answer.body.ticket.number) });
    });

    it('CANCEL while REQUEST makes the order BATAL; ListriQu can no longer move it and it cannot be corrected again', async () => {
      const t = await create(imlReport({ woType: 'IML_NON_LISTRIQU', customer: { province: 'JAWA TIMUR' }, iml: { willingToPay: false } }));
      const answer = await correct(t.number, { action: 'CANCEL', note: 'Sudah diperbaiki sendiri' });
      expect(answer.status).toBe(201);
      expect(answer.body.order).toMatchObject({ status: 'BATAL' });
      expect(answer.body.ticket).toMatchObject({
        kind: 'KELUHAN',
        status: 'ISSUE_CLOSED',
        referenceNumber: t.number,
        description: `LISTRIQU : ${PROBLEM}. PELANGGAN MEMBATALKAN LAPORANNYA. NO. LAPOR SEBELUMNYA ${t.number}, TELAH DISESUAIKAN DI APLIKASI LISTRIQU.`,
      });
      expect((await events(t.number)).at(-1)).toMatchObject({ type: 'IML_CORRECTED' });
      expect((await moveOrder(t.number, { status: 'ORDER' })).status).toBe(409);
      expect((await correct(t.number, { action: 'EDIT', note: 'ALAMAT' })).status).toBe(409);
    });

    it('refuses from PENUGASAN on (409), directing the customer to CC ListriQu 150-456, and changes nothing', async () => {
      const t = await create(imlReport());
      await moveOrder(t.number, { status: 'PENUGASAN' });
      const before = await events(t.number);
      const answer = await correct(t.number, { action: 'EDIT', note: 'TANGGAL KUNJUNGAN', preferredVisitDate: '2026-11-27' });
      expect(answer.status).toBe(409);
      expect(answer.body.detail).toContain('CC ListriQu 150-456');
      expect((await correct(t.number, { action: 'CANCEL', note: 'Batal' })).status).toBe(409);
      expect(await orderOf(t.number)).toMatchObject({ status: 'PENUGASAN', preferredVisitDate: '2026-11-25' });
      expect(await events(t.number)).toEqual(before);
    });

    it('answers 409 for a ticket never forwarded, 404 for an unknown one, 400 for a bad body, 403 for anyone but cso', async () => {
      const plain = await create(gangguan());
      expect((await correct(plain.number, { action: 'EDIT', note: 'TANGGAL KUNJUNGAN' })).status).toBe(409);
      const outside = await create(imlReport({ customer: { name: 'Sari', phone: '081234567899', province: 'ACEH' } }));
      expect((await correct(outside.number, { action: 'CANCEL', note: 'Batal' })).status).toBe(409);
      expect((await correct('G5422026999999', { action: 'EDIT', note: 'X' })).status).toBe(404);
      const t = await create(imlReport());
      expect((await correct(t.number, { action: 'CANCEL', note: 'Batal', preferredVisitDate: '2026-11-27' })).status).toBe(400);
      expect((await correct(t.number, { action: 'MOVE', note: 'X' })).status).toBe(400);
      expect((await correct(t.number, { action: 'EDIT' })).status).toBe(400);
      expect((await app.as('mobile').post(`/api/v1/tickets/${t.number}/iml-corrections`, { action: 'EDIT', note: 'X' })).status).toBe(403);
    });
  });

  describe('R-I4 re-report of a forwarded report', () => {
    it('is LAPOR_ULANG_LISTRIQU: the order repeat counter goes up and an issue-closed Keluhan carries the exact WO', async () => {
      const t = await create(imlReport());
      await moveOrder(t.number, { status: 'ORDER' });
      clock.set(new Date(T0 + 30 * MINUTE));
      const answer = await cso().post(`/api/v1/tickets/${t.number}/re-reports`, { note: 'PADAM SEBAGIAN BANGUNAN, MCB/SEKRING DALAM TURUN' });
      expect(answer.status).toBe(201);
      expect(answer.body.treatment).toBe('LAPOR_ULANG_LISTRIQU');
      expect(answer.body.escalations).toEqual([]);
      expect(answer.body.ticket).toMatchObject({
        kind: 'KELUHAN',
        status: 'ISSUE_CLOSED',
        problemType: 'INFORMASI',
        subType: 'KONDISI_JARINGAN_LISTRIK',
        referenceNumber: t.number,
        previousNumber: null,
        description: `LAPOR ULANG GANGGUAN IML, PADAM SEBAGIAN BANGUNAN, MCB/SEKRING DALAM TURUN, TELAH DIARAHKAN MENGHUBUNGI CC LISTRIQU. NO. LAPOR SEBELUMNYA : ${t.number}`,
      });
      expect(answer.body.order).toMatchObject({ ticketNumber: t.number, status: 'ORDER', repeatCount: 1, updatedAt: new Date(T0 + 30 * MINUTE).toISOString() });
      expect(answer.body.previous).toMatchObject({ number: t.number, status: 'BATAL', cancelReason: 'DITERUSKAN_KE_LISTRIQU' });
      expect((await events(t.number)).at(-1)).toMatchObject({ type: 'LAPOR_ULANG_LISTRIQU', note: expect.stringContaining(answer.body.ticket.number) });

      const again = await cso().post(`/api/v1/tickets/${t.number}/re-reports`, {});
      expect(again.body.treatment).toBe('LAPOR_ULANG_LISTRIQU');
      expect(again.body.order.repeatCount).toBe(2);
      expect(again.body.ticket.description).toBe(`LAPOR ULANG GANGGUAN IML, ${PROBLEM}, TELAH DIARAHKAN MENGHUBUNGI CC LISTRIQU. NO. LAPOR SEBELUMNYA : ${t.number}`);
      expect(await orderOf(t.number)).toMatchObject({ repeatCount: 2 });
    });
  });
});
