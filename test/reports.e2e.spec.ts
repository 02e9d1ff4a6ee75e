import { FakeClock } from '../src/clock/clock';
import { JobsService } from '../src/jobs/jobs.service';
import { TestApp } from './support/app';
import { withClient } from './support/database';
import { gangguan, keluhan } from './support/fixtures';

// Issue 17: R-M1…R-M4 over HTTP against a real PostgreSQL. A small November 2026 is built with a fake
// clock, action by action at the times below (UTC; WIB = UTC+7), and every figure is checked against
// the hand-computed value written beside it.

describe('reports for supervisors (DOMAIN.md §13)', () => {
  const clock = new FakeClock(new Date('2026-10-31T16:30:00Z'));
  let app: TestApp;
  let jobs: JobsService;
  const n: Record<string, string> = {};

  const at = (iso: string) => clock.set(new Date(iso));
  const create = async (body: Record<string, unknown>) => {
    const answer = await app.as('cso').post('/api/v1/tickets', body);
    if (answer.status !== 201) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.number as string;
  };
  const move = async (number: string, status: string, extra: Record<string, unknown> = {}) => {
    const unit = number.slice(1, 4);
    const answer = await app.as('unit', unit).post(`/api/v1/tickets/${number}/status`, { status, ...extra });
    if (answer.status !== 200) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const reReport = async (number: string) => {
    const answer = await app.as('cso').post(`/api/v1/tickets/${number}/re-reports`, {});
    if (answer.status !== 201) throw new Error(`${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const ticket = async (number: string) => (await app.as('admin').get(`/api/v1/tickets/${number}`)).body;

  beforeAll(async () => {
    app = await TestApp.start({ clock });
    jobs = app.app.get(JobsService);
    const admin = app.as('admin');
    await admin.put('/api/v1/units/542', { name: 'UP3 Bandung', timeZone: 'Asia/Jakarta' });
    await admin.put('/api/v1/units/545', { name: 'ULP "Cimahi", Kota', timeZone: 'Asia/Jakarta' });

    at('2026-10-31T16:30:00Z'); // 23:30 WIB on 31 October: October's, not November's
    n.T7 = await create(gangguan());
    at('2026-10-31T17:30:00Z'); // 00:30 WIB on 1 November
    n.T6 = await create(gangguan());
    at('2026-10-31T17:40:00Z');
    await move(n.T6, 'BATAL', { reason: 'Pelanggan membatalkan' }); // responded after 10 min

    at('2026-11-02T01:00:00Z');
    n.T1 = await create(gangguan());
    at('2026-11-02T01:30:00Z');
    await move(n.T1, 'PENUGASAN'); // responded 30
    at('2026-11-02T03:00:00Z');
    await move(n.T1, 'NYALA'); // nyala 120
    at('2026-11-02T03:30:00Z');
    await move(n.T1, 'SELESAI', { unitAnswer: 'MCB diganti' }); // resolved 150
    at('2026-11-02T04:00:00Z');
    await app.as('cso').post(`/api/v1/tickets/${n.T1}/confirmation`, { resolved: true }); // CONFIRMED

    at('2026-11-02T02:00:00Z');
    n.T9 = await create(gangguan({ unitCode: '545' })); // unit 545's only ticket, left LAPOR

    at('2026-11-03T01:00:00Z');
    n.T2 = await create(gangguan({ channel: 'PLN_MOBILE' }));
    at('2026-11-03T02:00:00Z');
    await move(n.T2, 'PENUGASAN'); // responded 60
    at('2026-11-03T04:20:00Z');
    await move(n.T2, 'NYALA_SEMENTARA'); // nyala 200; left open past its 04:00 deadline: breached
    at('2026-11-03T05:00:00Z');
    await move(n.T2, 'NYALA');
    at('2026-11-03T06:00:00Z');
    await move(n.T2, 'SELESAI', { unitAnswer: 'Kabel SR diperbaiki' }); // resolved 300

    at('2026-11-04T01:00:00Z');
    n.T3 = await create(keluhan());
    at('2026-11-04T01:10:00Z');
    await move(n.T3, 'DIPROSES'); // responded 10
    at('2026-11-04T01:20:00Z');
    await move(n.T3, 'SELESAI', { unitAnswer: 'Tagihan dikoreksi' }); // resolved 20
    at('2026-11-04T02:00:00Z');
    n.T3b = (await reReport(n.T3)).ticket.number; // LAPOR_ULANG: T3 DITUTUP/RE_REPORTED, escalation LAPOR_ULANG
    at('2026-11-04T02:15:00Z');
    const claimed = await app.as('backoffice').post('/api/v1/escalations/claim-next', {});
    at('2026-11-04T02:25:00Z');
    const done = await app.as('backoffice').post(`/api/v1/escalations/${claimed.body.id}/done`, { note: 'Pelanggan dihubungi' }); // done after 25 min
    if (done.status !== 200) throw new Error(JSON.stringify(done.body));
    at('2026-11-04T06:00:00Z');
    await jobs.runAll(); // R-J1 closes T2 (NO_CONFIRMATION); R-J3 marks T3b (deadline 05:00) and T7

    at('2026-11-05T16:30:00Z'); // 23:30 WIB on 5 November: the 5th, not the 6th
    n.T4 = await create(gangguan({ channel: 'OTHER' }));
    at('2026-11-05T16:45:00Z');
    await move(n.T4, 'PENUGASAN'); // responded 15
    at('2026-11-05T17:30:00Z'); // 00:30 WIB on the 6th, before the 19:30 deadline
    await reReport(n.T4); // UPDATE_LAPOR
    at('2026-11-05T20:00:00Z'); // 03:00 WIB on the 6th, after the deadline
    await reReport(n.T4); // LAPOR_MELEBIHI_SLA + escalation

    at('2026-11-06T01:00:00Z');
    n.T5 = await create(keluhan({ issueClosed: true }));

    at('2026-11-07T01:00:00Z');
    n.T8 = await create(keluhan({ problemType: 'INFORMASI', subType: 'LAYANAN_KOMPOR_INDUKSI', komporInduksi: { installationPowered: true } }));
    at('2026-11-07T02:01:00Z');
    await jobs.runAll(); // R-J2: T8 BATAL/AUTO_TRANSFER (responded 61), new Gangguan T8g; R-J3 marks T4
    n.T8g = (await ticket(n.T8)).transferredToNumber;

    at('2026-11-20T00:00:00Z');
    await jobs.runAll(); // R-J3 marks T8g and T9
    // R-L4's ratings are another module's endpoint: written as that module stores them
    await withClient(app.databaseUrl, async (c) => {
      await c.query(`UPDATE tickets SET rating_score = 5, rated_at = $2 WHERE number = $1`, [n.T1, new Date()]);
      await c.query(`UPDATE tickets SET rating_score = 2, rated_at = $2 WHERE number = $1`, [n.T2, new Date()]);
    });
  });
  afterAll(() => app.close());

  describe('R-M1 stored facts', () => {
    it('keeps respondedAt, nyalaAt and slaBreachedAt, also after the ticket is done', async () => {
      expect(await ticket(n.T2)).toMatchObject({
        status: 'DITUTUP', overSla: false,
        respondedAt: '2026-11-03T02:00:00.000Z', nyalaAt: '2026-11-03T04:20:00.000Z', slaBreachedAt: '2026-11-03T04:00:00.000Z',
      });
      expect(await ticket(n.T1)).toMatchObject({ respondedAt: '2026-11-02T01:30:00.000Z', nyalaAt: '2026-11-02T03:00:00.000Z', slaBreachedAt: null });
      expect(await ticket(n.T3b)).toMatchObject({ status: 'LAPOR', overSla: true, respondedAt: null, slaBreachedAt: '2026-11-04T05:00:00.000Z' });
      expect(await ticket(n.T8)).toMatchObject({ status: 'BATAL', cancelReason: 'AUTO_TRANSFER', respondedAt: '2026-11-07T02:01:00.000Z', slaBreachedAt: null });
      expect(await ticket(n.T5)).toMatchObject({ status: 'ISSUE_CLOSED', respondedAt: null, slaBreachedAt: null });
    });

    it('sets slaBreachedAt at creation when the deadline has already passed', async () => {
      at('2026-11-25T12:00:00Z');
      const late = await create(gangguan({ unitCode: '545', reportedAt: '2026-11-25T08:00:00+00:00' }));
      expect(await ticket(late)).toMatchObject({ overSla: true, slaBreachedAt: '2026-11-25T11:00:00.000Z' });
      await move(late, 'PENUGASAN');
      expect(await ticket(late)).toMatchObject({ respondedAt: '2026-11-25T12:00:00.000Z', slaBreachedAt: '2026-11-25T11:00:00.000Z' });
    });
  });

  const unitReport = async (query: string, role: 'admin' | 'backoffice' = 'admin') => app.as(role).get(`/api/v1/reports/units?${query}`);

  describe('R-M2 unit report', () => {
    it('gives every figure of unit 542 for November as computed by hand', async () => {
      const answer = await unitReport('from=2026-11-01&to=2026-11-30&unitCode=542');
      expect(answer.status).toBe(200);
      expect(answer.body.items).toEqual([
        {
          unitCode: '542', unitName: 'UP3 Bandung', from: '2026-11-01', to: '2026-11-30',
          // T6 T1 T2 T3 T3b T4 T5 T8 T8g (T7 is 31 October's in WIB)
          received: { GANGGUAN: 5, KELUHAN: 4, byChannel: { CC123: 7, PLN_MOBILE: 1, OTHER: 1 } },
          openNow: 3, // T3b, T4, T8g
          overSlaNow: 3,
          breached: 4, // T2 (left open past the deadline), T3b, T4, T8g
          breachedPct: (100 * 4) / 9,
          respondedWithinSlaPct: 100, // all six responses came before their deadlines
          respondMinutes: { p50: 15, p90: 61 }, // [10, 10, 15, 30, 60, 61]: ranks 3 and 6
          resolveMinutes: { p50: 150, p90: 300 }, // [20, 150, 300]: ranks 2 and 3
          jumlahLaporMelebihiSla: 2, // T3 (R-R3's reading) and T4 (R-R2)
          updateCount: 1,
          reReports: { UPDATE_LAPOR: 1, LAPOR_MELEBIHI_SLA: 1, LAPOR_ULANG: 1, ISSUE_CLOSED: 0, LAPORAN_BARU: 0, LAPOR_ULANG_LISTRIQU: 0 },
          closings: { CONFIRMED: 1, NO_CONFIRMATION: 1, RE_REPORTED: 1 },
          issueClosed: 1,
          escalations: {
            LAPOR_ULANG: { count: 1, doneMinutesP50: 25 },
            LAPORAN_MELEBIHI_SLA: { count: 1, doneMinutesP50: null },
            URGENT: { count: 0, doneMinutesP50: null },
            CALLBACK_PELANGGAN: { count: 0, doneMinutesP50: null },
            REQUEST_CALLBACK: { count: 0, doneMinutesP50: null },
          },
          autoTransfers: 1,
          rating: { count: 2, mean: 3.5 },
        },
      ]);
    });

    it('gives one row per unit, and a unit without responses null medians and percentages', async () => {
      const answer = await unitReport('from=2026-11-01&to=2026-11-10', 'backoffice');
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((r: { unitCode: string }) => r.unitCode)).toEqual(['542', '545']);
      expect(answer.body.items[1]).toMatchObject({
        unitName: 'ULP "Cimahi", Kota', received: { GANGGUAN: 1, KELUHAN: 0 }, openNow: 1, breached: 1, breachedPct: 100,
        respondedWithinSlaPct: null, respondMinutes: { p50: null, p90: null }, rating: { count: 0, mean: null },
      });
    });

    it('counts a ticket at 23:30 WIB on the day it was reported there, not the next UTC day', async () => {
      const fifth = (await unitReport('from=2026-11-05&to=2026-11-05&unitCode=542')).body.items[0];
      expect(fifth.received).toEqual({ GANGGUAN: 1, KELUHAN: 0, byChannel: { CC123: 0, PLN_MOBILE: 0, OTHER: 1 } }); // T4
      const sixth = (await unitReport('from=2026-11-06&to=2026-11-06&unitCode=542')).body.items[0];
      expect(sixth.received).toMatchObject({ GANGGUAN: 0, KELUHAN: 1 }); // T5 only
      const first = (await unitReport('from=2026-11-01&to=2026-11-01&unitCode=542')).body.items[0];
      expect(first.received.GANGGUAN).toBe(1); // T6 at 00:30 WIB; T7 at 23:30 WIB the day before is not in it
    });

    it('answers the same rows as CSV, quoting names with commas and quotes', async () => {
      const json = (await unitReport('from=2026-11-01&to=2026-11-30')).body.items;
      const answer = await app.as('admin').get('/api/v1/reports/units?from=2026-11-01&to=2026-11-30', { headers: { accept: 'text/csv' } });
      expect(answer.status).toBe(200);
      expect(answer.headers.get('content-type')).toMatch(/^text\/csv/);
      const lines = (answer.body as string).split('\r\n');
      expect(lines.at(-1)).toBe('');
      expect(lines).toHaveLength(4);
      const flat = (o: unknown, path = ''): [string, unknown][] =>
        o !== null && typeof o === 'object' ? Object.entries(o).flatMap(([k, v]) => flat(v, path ? `${path}.${k}` : k)) : [[path, o]];
      expect(lines[0]).toBe(flat(json[0]).map(([k]) => k).join(','));
      expect(lines[0]).toContain('received.byChannel.PLN_MOBILE');
      expect(lines[1]).toBe(flat(json[0]).map(([, v]) => (v === null ? '' : String(v))).join(','));
      expect(lines[2].startsWith(`545,"ULP ""Cimahi"", Kota",2026-11-01,2026-11-30,${json[1].received.GANGGUAN},0,`)).toBe(true);
    });

    it('gives a unit caller its own unit only; another unit is 404; other roles 403', async () => {
      const own = await app.as('unit', '542').get('/api/v1/reports/units?from=2026-11-01&to=2026-11-30');
      expect(own.status).toBe(200);
      expect(own.body.items.map((r: { unitCode: string }) => r.unitCode)).toEqual(['542']);
      expect((await app.as('unit', '542').get('/api/v1/reports/units?from=2026-11-01&to=2026-11-30&unitCode=542')).status).toBe(200);
      expect((await app.as('unit', '542').get('/api/v1/reports/units?from=2026-11-01&to=2026-11-30&unitCode=545')).status).toBe(404);
      expect((await app.as('unit', '542').get('/api/v1/reports/daily?from=2026-11-01&to=2026-11-30&unitCode=545')).status).toBe(404);
      expect((await app.as('unit', '542').get('/api/v1/reports/indicators?month=2026-11&unitCode=545')).status).toBe(404);
      expect((await app.as('cso').get('/api/v1/reports/units?from=2026-11-01&to=2026-11-30')).status).toBe(403);
      expect((await unitReport('from=2026-11-01&to=2026-11-30&unitCode=999')).status).toBe(404);
    });

    it.each([
      ['to before from', 'from=2026-11-02&to=2026-11-01', 'to'],
      ['more than 366 days', 'from=2026-01-01&to=2027-01-02', 'to'],
      ['a date that does not exist', 'from=2026-11-31&to=2026-12-01', 'from'],
      ['to missing', 'from=2026-11-01', 'to'],
      ['an unknown parameter', 'from=2026-11-01&to=2026-11-02&kind=GANGGUAN', 'kind'],
    ])('400 for %s', async (_, query, field) => {
      const answer = await unitReport(query);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe(field);
    });
  });

  describe('R-M3 indicators', () => {
    it('gives the response and outage hours of Gangguan per unit and month', async () => {
      const answer = await app.as('unit', '542').get('/api/v1/reports/indicators?month=2026-11');
      expect(answer.status).toBe(200);
      expect(answer.body.items).toHaveLength(1);
      const [item] = answer.body.items;
      expect(item).toMatchObject({ unitCode: '542', month: '2026-11' });
      // responses of T6, T4, T1, T2: 10, 15, 30, 60 min (T8g never responded; Keluhan are not counted)
      expect(item.responseHours.count).toBe(4);
      expect(item.responseHours.mean).toBeCloseTo(115 / 4 / 60, 10);
      expect(item.responseHours.p90).toBe(1); // rank ceil(0.9 × 4) = 4: 60 min
      // outages of T1 and T2: 120 and 200 min
      expect(item.outageHours.count).toBe(2);
      expect(item.outageHours.mean).toBeCloseTo(160 / 60, 10);
      expect(item.outageHours.p90).toBeCloseTo(200 / 60, 10);
    });

    it.each([['2026-13'], ['2026-11-01'], ['']])('400 for month %j', async (month) => {
      expect((await app.as('admin').get(`/api/v1/reports/indicators?month=${month}`)).status).toBe(400);
    });
  });

  describe('R-M4 daily series', () => {
    it('gives every day of every unit, each ticket on its WIB day', async () => {
      const answer = await app.as('admin').get('/api/v1/reports/daily?from=2026-10-31&to=2026-11-08&unitCode=542');
      expect(answer.status).toBe(200);
      const row = (date: string, received: number, resolved: number, breached: number, reReports: number, escalations: number) =>
        ({ date, unitCode: '542', received, resolved, breached, reReports, escalations });
      expect(answer.body.items).toEqual([
        row('2026-10-31', 1, 0, 1, 0, 0), // T7, breached by R-J3
        row('2026-11-01', 1, 0, 0, 0, 0), // T6
        row('2026-11-02', 1, 1, 0, 0, 0), // T1
        row('2026-11-03', 1, 1, 1, 0, 0), // T2
        row('2026-11-04', 2, 1, 1, 1, 1), // T3, T3b; the Lapor Ulang and its escalation
        row('2026-11-05', 1, 0, 1, 0, 0), // T4 at 23:30 WIB
        row('2026-11-06', 1, 0, 0, 2, 1), // T5; T4's Update Lapor (00:30 WIB) and Lapor Melebihi SLA (03:00 WIB) and its escalation
        row('2026-11-07', 2, 0, 1, 0, 0), // T8, T8g
        row('2026-11-08', 0, 0, 0, 0, 0),
      ]);
      const all = await app.as('backoffice').get('/api/v1/reports/daily?from=2026-11-01&to=2026-11-30');
      expect(all.body.items).toHaveLength(60);
      const month = all.body.items.filter((i: { unitCode: string }) => i.unitCode === '542');
      expect(month.reduce((s: number, i: { received: number }) => s + i.received, 0)).toBe(9); // as the unit report
    });
  });
});
