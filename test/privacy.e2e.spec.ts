import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { JobsService } from '../src/jobs/jobs.service';
import { AccessLog } from '../src/personal-data-access/access-log';
import { SYSTEM_ACTOR } from '../src/tickets/history';
import { TicketPersonalDataService } from '../src/tickets/ticket-personal-data.service';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';
import { EventStream } from './support/sse';

// DOMAIN.md §18 over HTTP: R-P1 access log, R-P2 export, R-P3 erasure, R-P4 retention, R-P5 rate limit.
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const T0 = Date.parse('2026-11-23T01:00:00Z');

const ANI = { name: 'Ani Lestari', phone: '081355550001', idPel: '530000000001', meterNumber: '14000000001', address: 'Jl. Kenanga 7', province: 'JAWA BARAT' };
const OTHER = { name: 'Dewi Sartika', phone: '081355550002', idPel: '530000000002', address: 'Jl. Melati 3', province: 'JAWA BARAT' };

describe('personal data (§18)', () => {
  const clock = new FakeClock(new Date(T0));
  let app: TestApp;
  let prisma: PrismaService;
  beforeAll(async () => {
    app = await TestApp.start({ clock, config: { lookupRatePerMinute: 1000, personalDataRetentionDays: 730, personalDataAccessLogDays: 365, webhookAllowedHosts: ['127.0.0.1'] } });
    prisma = app.app.get(PrismaService);
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  const ok = async (answer: Promise<{ status: number; body: any }>, status: number) => {
    const a = await answer;
    if (a.status !== status) throw new Error(`${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const create = (body: Record<string, unknown>) => {
    clock.advance(MINUTE);
    return ok(app.as('cso').post('/api/v1/tickets', body), 201);
  };
  const asSub = async (role: 'cso' | 'admin' | 'backoffice', sub: string, path: string) => app.call('GET', path, undefined, { token: await app.token(role, undefined, sub) });
  const asPost = async (role: 'cso' | 'admin' | 'backoffice', sub: string, path: string, body: unknown) => app.call('POST', path, body, { token: await app.token(role, undefined, sub) });

  describe('R-P1 who saw whom', () => {
    it('records the ticket read, the list, the events and the lookup, and answers by ID Pel, phone and sub', async () => {
      const t = await create(gangguan({ customer: { ...ANI, idPel: '530000000101', phone: '081355550101' } }));
      await ok(asSub('cso', 'cso-rina', `/api/v1/tickets/${t.number}`), 200);
      await ok(asSub('cso', 'cso-rina', `/api/v1/tickets/${t.number}/events`), 200);
      await ok(asSub('backoffice', 'bo-joko', '/api/v1/customers/history?idPel=530000000101'), 200);
      await ok(asSub('admin', 'admin-ops', '/api/v1/tickets?idPel=530000000101'), 200);

      const byIdPel = await ok(app.as('admin').get('/api/v1/personal-data/access-log?idPel=530000000101'), 200);
      const seen = byIdPel.items.map((i: any) => `${i.sub} ${i.endpoint}`);
      expect(seen).toEqual(
        expect.arrayContaining([
          'cso-rina GET /api/v1/tickets/:number',
          'cso-rina GET /api/v1/tickets/:number/events',
          'bo-joko GET /api/v1/customers/history',
          'admin-ops GET /api/v1/tickets',
        ]),
      );
      for (const item of byIdPel.items) {
        expect(item.ticketNumbers).toEqual([t.number]);
        expect(item.requestId).toEqual(expect.any(String));
      }
      const byPhone = await ok(app.as('admin').get(`/api/v1/personal-data/access-log?phone=${encodeURIComponent('+62 813-5555-0101')}`), 200);
      expect(byPhone.items.length).toBe(byIdPel.items.length);

      const bySub = await ok(app.as('admin').get('/api/v1/personal-data/access-log?sub=cso-rina&limit=1'), 200);
      expect(bySub.items).toHaveLength(1);
      expect(bySub.nextCursor).toEqual(expect.any(String));
      const next = await ok(app.as('admin').get(`/api/v1/personal-data/access-log?sub=cso-rina&limit=1&cursor=${bySub.nextCursor}`), 200);
      expect(next.items).toHaveLength(1);
      expect(next.items[0].endpoint).not.toBe(bySub.items[0].endpoint);
      expect(next.nextCursor).toBeNull();
    });

    it('still answers who saw the customer after their data is erased (R-P1 across R-P3)', async () => {
      const customer = { ...ANI, idPel: '530000000105', phone: '081355550105' };
      const t = await create(keluhan({ customer, issueClosed: true })); // done at once: erasable
      await ok(asSub('backoffice', 'bo-events', `/api/v1/tickets/${t.number}/events`), 200); // shows no customer
      await ok(asSub('cso', 'cso-read', `/api/v1/tickets/${t.number}`), 200);
      const mobile = await app.call('GET', `/api/v1/customers/tickets?idPel=${customer.idPel}`, undefined, { token: await app.token('mobile', undefined, 'mobile-app') });
      expect(mobile.status).toBe(200);
      const who = async (query: string) =>
        (await ok(app.as('admin').get(`/api/v1/personal-data/access-log?${query}`), 200)).items.map((i: any) => `${i.sub} ${i.endpoint} ${i.ticketNumbers}`).sort();
      const expected = [
        `bo-events GET /api/v1/tickets/:number/events ${t.number}`,
        `cso-read GET /api/v1/tickets/:number ${t.number}`,
        `mobile-app GET /api/v1/customers/tickets ${t.number}`,
      ];
      const before = { idPel: await who(`idPel=${customer.idPel}`), phone: await who(`phone=${customer.phone}`) };
      expect(before.idPel).toEqual(expect.arrayContaining(expected));
      await ok(app.as('admin').post('/api/v1/personal-data/erasures', { idPel: customer.idPel, reason: 'Permintaan pelanggan' }), 201);
      expect((await ok(app.as('cso').get(`/api/v1/tickets/${t.number}`), 200)).customer.idPel).toBeNull();
      // the reads before the erasure are still found by both identifiers, each with the ticket it showed
      const after = { idPel: await who(`idPel=${customer.idPel}`), phone: await who(`phone=${customer.phone}`) };
      expect(after.idPel).toEqual(expect.arrayContaining(expected));
      expect(after.phone).toEqual(expect.arrayContaining(expected));
    });

    it('records an answer sent again for an Idempotency-Key as it records the first', async () => {
      const customer = { ...ANI, idPel: '530000000107', phone: '081355550107' };
      clock.advance(MINUTE);
      const token = await app.token('cso', undefined, 'cso-retry');
      const send = (requestId: string) =>
        app.call('POST', '/api/v1/tickets', gangguan({ customer }), { token, headers: { 'idempotency-key': 'retry-0107', 'x-request-id': requestId } });
      const first = await send('req-0107-first');
      const again = await send('req-0107-again');
      expect([first.status, again.status, again.headers.get('idempotent-replayed')]).toEqual([201, 201, 'true']);
      const log = await ok(app.as('admin').get(`/api/v1/personal-data/access-log?idPel=${customer.idPel}`), 200);
      expect(log.items.map((i: any) => `${i.requestId} ${i.sub} ${i.endpoint} ${i.ticketNumbers}`).sort()).toEqual([
        `req-0107-again cso-retry POST /api/v1/tickets ${first.body.number}`,
        `req-0107-first cso-retry POST /api/v1/tickets ${first.body.number}`,
      ]);
    });

    it('records the answers of writes that show the ticket back: the create, a rating, an escalation', async () => {
      const customer = { ...ANI, idPel: '530000000106', phone: '081355550106' };
      clock.advance(MINUTE);
      const t = await ok(asPost('cso', 'cso-new', '/api/v1/tickets', gangguan({ customer })), 201);
      await ok(app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'NYALA' }), 200);
      await ok(asPost('cso', 'cso-rate', `/api/v1/tickets/${t.number}/rating`, { score: 4 }), 201);
      await ok(asPost('cso', 'cso-esc', '/api/v1/escalations', { category: 'LAPOR_ULANG', ticketNumber: t.number, note: 'Pelanggan minta dihubungi' }), 201);
      const log = await ok(app.as('admin').get(`/api/v1/personal-data/access-log?idPel=${customer.idPel}`), 200);
      expect(log.items.map((i: any) => `${i.sub} ${i.endpoint} ${i.ticketNumbers}`)).toEqual(
        expect.arrayContaining([`cso-new POST /api/v1/tickets ${t.number}`, `cso-rate POST /api/v1/tickets/:number/rating ${t.number}`, `cso-esc POST /api/v1/escalations ${t.number}`]),
      );
    });

    it('records the change feed', async () => {
      const t = await create(gangguan({ customer: { ...ANI, idPel: '530000000102', phone: '081355550102' } }));
      await ok(asSub('cso', 'dash-1', '/api/v1/ticket-changes?limit=200'), 200);
      const log = await ok(app.as('admin').get('/api/v1/personal-data/access-log?idPel=530000000102'), 200);
      expect(log.items.map((i: any) => `${i.sub} ${i.endpoint} ${i.ticketNumbers}`)).toContain(`dash-1 GET /api/v1/ticket-changes ${t.number}`);
    });

    it('records each ticket the change stream delivers', async () => {
      const stream = await EventStream.open(app.baseUrl, '/api/v1/ticket-changes/stream', await app.token('cso', undefined, 'wallboard-1'));
      try {
        await stream.comment(/connected/);
        const t = await create(gangguan({ customer: { ...ANI, idPel: '530000000104', phone: '081355550104' } }));
        const [event] = await stream.take(1);
        expect(JSON.parse(event.data).number).toBe(t.number);
        const log = await ok(app.as('admin').get('/api/v1/personal-data/access-log?idPel=530000000104'), 200);
        expect(log.items.map((i: any) => `${i.sub} ${i.endpoint} ${i.ticketNumbers}`)).toContain(`wallboard-1 GET /api/v1/ticket-changes/stream ${t.number}`);
      } finally {
        stream.close();
      }
    });

    it('writes a buffer in one batch and loses nothing on a clean shutdown', async () => {
      const other = await TestApp.start({ clock, databaseUrl: app.databaseUrl });
      const t = await create(gangguan({ customer: { ...ANI, idPel: '530000000103', phone: '081355550103' } }));
      for (let i = 0; i < 5; i++) await ok(other.call('GET', `/api/v1/tickets/${t.number}`, undefined, { token: await other.token('cso', undefined, 'cso-late') }), 200);
      await other.close({ dropDatabase: false }); // the flush of app close, before the pool closes
      const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM personal_data_access_log WHERE sub = 'cso-late'`;
      expect(row.n).toBe(5);
    });

    it('keeps PERSONAL_DATA_ACCESS_LOG_DAYS by dropping day partitions, and makes the days ahead', async () => {
      const jobs = app.app.get(JobsService);
      const at = new Date(T0 + 3 * DAY);
      clock.set(at);
      await jobs.run('personalDataHousekeeping');
      const parts = async () =>
        (await prisma.$queryRaw<{ name: string }[]>`SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
          WHERE i.inhparent = 'personal_data_access_log'::regclass ORDER BY 1`).map((p) => p.name);
      expect(await parts()).toEqual(expect.arrayContaining(['p20261126', 'p20261203']));
      expect(await parts()).toContain('p20261123');
      clock.set(new Date(T0 + 366 * DAY)); // 2027-11-24: the log of 2026-11-23 is past 365 days
      await jobs.run('personalDataHousekeeping');
      expect(await parts()).not.toContain('p20261123');
      const [row] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM personal_data_access_log WHERE at < '2026-11-24'`;
      expect(row.n).toBe(0);
      clock.set(new Date(T0 + 4 * DAY));
    });

    it('answers only the last PERSONAL_DATA_ACCESS_LOG_DAYS, to the minute, though the job drops whole days (stop 54 audit)', async () => {
      const t = await create(gangguan({ customer: { ...ANI, idPel: '530000000901', phone: '081355550901' } }));
      const seenAt = clock.now().getTime();
      await ok(app.as('cso').get(`/api/v1/tickets/${t.number}`), 200);
      const logOf = async () => (await ok(app.as('admin').get('/api/v1/personal-data/access-log?idPel=530000000901'), 200)).items;
      expect((await logOf()).length).toBeGreaterThan(0);
      clock.set(new Date(seenAt + 365 * DAY + 60_000)); // the same UTC day's partition is still there
      expect(await logOf()).toEqual([]);
      clock.set(new Date(T0 + 4 * DAY));
    });
  });

  describe('R-P2 export and R-P3 erasure', () => {
    const ani = { ...ANI, idPel: '530000000201', phone: '081355550201', meterNumber: '14000000201' };
    let open: any;
    let done: any;
    let cancelled: any;
    let neighbour: any;
    beforeAll(async () => {
      // R-W2: an endpoint that never answers keeps the messages of her tickets stored (R-P3 must reach them)
      await ok(app.as('admin').post('/api/v1/webhooks', { url: 'http://127.0.0.1:1/never', eventTypes: ['*'] }), 201);
      done = await create(keluhan({ customer: ani, description: `Ani Lestari (0813-5555-0201, ID PEL ${ani.idPel}) minta ditelepon`, issueClosed: true }));
      cancelled = await create(gangguan({ customer: ani, description: 'Padam sejak pagi, hubungi +62 813 5555 0201' }));
      await ok(app.as('unit', '542').post(`/api/v1/tickets/${cancelled.number}/status`, { status: 'BATAL', reason: 'Pelanggan Ani Lestari membatalkan, petugas ke Jl. Kenanga 7 rumah Ani kosong' }), 200);
      open = await create(gangguan({ customer: ani }));
      neighbour = await create(gangguan({ customer: OTHER, description: 'Tetangga Ani Lestari juga padam' }));
    });

    it('R-P2 exports every ticket with its events, and the identifiers held', async () => {
      const doc = await ok(app.as('admin').get(`/api/v1/personal-data?idPel=${ani.idPel}`), 200);
      expect(doc.tickets.map((t: any) => t.number).sort()).toEqual([done.number, cancelled.number, open.number].sort());
      expect(doc.tickets.find((t: any) => t.number === cancelled.number).events.map((e: any) => e.type)).toEqual(['CREATED', 'STATUS_CHANGED']);
      expect(doc.subject).toMatchObject({ idPel: ani.idPel, names: [ani.name], phones: [ani.phone], meterNumbers: [ani.meterNumber] });
      const byPhone = await ok(app.as('admin').get(`/api/v1/personal-data?phone=${encodeURIComponent('62 813 5555 0201')}`), 200);
      expect(byPhone.tickets).toHaveLength(3);
    });

    it('refuses while a ticket is still open, naming it (409)', async () => {
      const answer = await app.as('admin').post('/api/v1/personal-data/erasures', { idPel: ani.idPel, reason: 'Permintaan pelanggan' });
      expect(answer.status).toBe(409);
      expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
      expect(answer.body.errors).toEqual([{ field: 'tickets', message: open.number }]);
      expect(answer.body.detail).toContain(open.number);
    });

    it('erases in every table and note at once; reports, counters and the other customer unchanged; lookups find nothing', async () => {
      // R-P3 refuses tickets still open (R-T4: LAPOR … PENGERJAAN, DIPROSES); NYALA is neither open nor done
      await ok(app.as('unit', '542').post(`/api/v1/tickets/${open.number}/status`, { status: 'NYALA' }), 200);
      const reports = async () => ({
        units: (await ok(app.as('admin').get('/api/v1/reports/units?from=2026-11-01&to=2026-11-30'), 200)).items,
        daily: (await ok(app.as('admin').get('/api/v1/reports/daily?from=2026-11-01&to=2026-11-30'), 200)).items,
      });
      const before = await reports();
      const neighbourBefore = await ok(app.as('cso').get(`/api/v1/tickets/${neighbour.number}`), 200);
      const feed = await ok(app.as('cso').get('/api/v1/ticket-changes?limit=200'), 200);

      const stored = async () =>
        (await prisma.$queryRaw<{ payload: string }[]>`
          SELECT coalesce(m.payload, p.body)::text AS payload FROM outbound_messages m LEFT JOIN outbound_payloads p ON p.id = m.payload_id
          WHERE m.subject_key = ANY(${[done, cancelled, open].map((t) => `ticket:${t.number}`)}::text[])`).map((r) => r.payload).join('\n');
      expect(await stored()).toMatch(/Ani Lestari/);
      const erasure = await ok(app.as('admin').post('/api/v1/personal-data/erasures', { idPel: ani.idPel, reason: 'Permintaan pelanggan (UU PDP Pasal 8)' }), 201);
      expect(await stored()).not.toMatch(/Ani|5555|530000000201|14000000201/); // the outbox's stored messages too
      expect(erasure).toMatchObject({ by: 'test-admin', reason: 'Permintaan pelanggan (UU PDP Pasal 8)' });
      expect(erasure.records).toBeGreaterThanOrEqual(3 + 1); // three tickets, and the event note that named her

      expect(await reports()).toEqual(before);
      expect(await ok(app.as('cso').get(`/api/v1/tickets/${neighbour.number}`), 200)).toEqual(neighbourBefore);

      const erased = await ok(app.as('cso').get(`/api/v1/tickets/${done.number}`), 200);
      expect(erased.customer).toEqual({ name: null, phone: null, idPel: null, meterNumber: null, address: null, province: 'JAWA BARAT' });
      expect(erased.description).toBe('[dihapus] ([dihapus], ID PEL [dihapus]) minta ditelepon');
      const c = await ok(app.as('cso').get(`/api/v1/tickets/${cancelled.number}`), 200);
      expect(c.description).toBe('Padam sejak pagi, hubungi [dihapus]');
      expect(c.cancelReason).toBe('Pelanggan [dihapus] membatalkan, petugas ke [dihapus] rumah [dihapus] kosong'); // her address, and her first name alone too
      const events = await ok(app.as('cso').get(`/api/v1/tickets/${cancelled.number}/events`), 200);
      expect(events.items.map((e: any) => e.type)).toEqual(['CREATED', 'STATUS_CHANGED', 'PERSONAL_DATA_ERASED']);
      expect(JSON.stringify(events.items)).not.toMatch(/Ani|5555|Kenanga/);

      for (const query of [`idPel=${ani.idPel}`, `phone=${ani.phone}`, `meterNumber=${ani.meterNumber}`, 'name=Ani%20Lestari']) {
        const history = await ok(app.as('cso').get(`/api/v1/customers/history?${query}`), 200);
        expect(history.tickets.map((t: any) => t.number)).not.toContain(done.number);
      }
      // the feed carries the erased form: the erased tickets changed after the last position
      const after = await ok(app.as('cso').get(`/api/v1/ticket-changes?after=${encodeURIComponent(feed.position)}&limit=200`), 200);
      const changed = after.items.filter((t: any) => [done.number, cancelled.number, open.number].includes(t.number));
      expect(changed).toHaveLength(3);
      for (const t of changed) expect(t.customer.idPel).toBeNull();

      const [record] = await prisma.$queryRaw<any[]>`SELECT by_sub, by_role, reason, records FROM personal_data_erasures WHERE id = ${erasure.id}::uuid`;
      expect(record).toEqual({ by_sub: 'test-admin', by_role: 'admin', reason: 'Permintaan pelanggan (UU PDP Pasal 8)', records: erasure.records });
      const again = await ok(app.as('admin').post('/api/v1/personal-data/erasures', { idPel: ani.idPel, reason: 'lagi' }), 201);
      expect(again.records).toBe(0);
    });

    it('takes the tickets linked by a shared ID Pel, meter number or phone with the one asked for: lookups by any identifier it erased find nothing', async () => {
      const maya = { name: 'Maya Sari', phone: '081355550401', idPel: '530000000401', meterNumber: '14000000401', address: 'Jl. Dahlia 4', province: 'JAWA BARAT' };
      const first = await create(keluhan({ customer: maya, issueClosed: true }));
      const samePel = await create(keluhan({ customer: { ...maya, phone: '081355550402', meterNumber: undefined }, issueClosed: true })); // her ID Pel from another phone
      const sameMeter = await create(keluhan({ customer: { name: 'Maya', phone: '081355550403', meterNumber: maya.meterNumber, province: 'JAWA BARAT' }, issueClosed: true })); // her meter alone
      const exported = await ok(app.as('admin').get(`/api/v1/personal-data?phone=${maya.phone}`), 200);
      expect(exported.tickets.map((t: any) => t.number).sort()).toEqual([first.number, samePel.number, sameMeter.number].sort());
      const erasure = await ok(app.as('admin').post('/api/v1/personal-data/erasures', { phone: maya.phone, reason: 'Permintaan pelanggan' }), 201);
      expect(erasure.records).toBeGreaterThanOrEqual(3);
      for (const query of [`phone=${maya.phone}`, `idPel=${maya.idPel}`, `meterNumber=${maya.meterNumber}`, 'phone=081355550402', 'phone=081355550403', 'name=Maya']) {
        const history = await ok(app.as('cso').get(`/api/v1/customers/history?${query}`), 200);
        expect([query, history.tickets.map((t: any) => t.number).filter((n: string) => [first.number, samePel.number, sameMeter.number].includes(n))]).toEqual([query, []]);
      }
      expect((await ok(app.as('cso').get(`/api/v1/tickets/${neighbour.number}`), 200)).customer.idPel).toBe(OTHER.idPel); // another customer untouched
    });

    it('an answer kept for an Idempotency-Key replay loses the erased data too: the replay gives the first status and ticket, scrubbed (stop 54 audit)', async () => {
      const rini = { name: 'Rini Wulandari', phone: '081355550701', idPel: '530000000701', meterNumber: '14000000701', address: 'Jl. Melati 5', province: 'JAWA BARAT' };
      const token = await app.token('cso');
      const body = keluhan({ customer: rini, description: 'Rini Wulandari minta tagihan dicek', issueClosed: true });
      const theirs = gangguan({ customer: OTHER });
      clock.advance(MINUTE);
      const first = await app.call('POST', '/api/v1/tickets', body, { token, headers: { 'idempotency-key': 'erase-0501' } });
      const other = await app.call('POST', '/api/v1/tickets', theirs, { token, headers: { 'idempotency-key': 'erase-0502' } });
      expect([first.status, JSON.stringify(first.body)]).toEqual([201, expect.stringContaining(rini.phone)]);
      await ok(app.as('admin').post('/api/v1/personal-data/erasures', { idPel: rini.idPel, reason: 'Permintaan pelanggan' }), 201);
      const replay = await app.call('POST', '/api/v1/tickets', body, { token, headers: { 'idempotency-key': 'erase-0501' } });
      expect([replay.status, replay.body.number]).toEqual([201, first.body.number]);
      const text = JSON.stringify(replay.body);
      for (const held of [rini.name, rini.phone, rini.idPel, rini.meterNumber, 'Melati', 'Wulandari']) expect([held, text.includes(held)]).toEqual([held, false]);
      // a field that held only the customer's data is null, as on the erased ticket; free text keeps its other words
      expect(replay.body.customer).toMatchObject({ name: null, phone: null, idPel: null, meterNumber: null });
      expect(replay.body.description).toBe('[dihapus] minta tagihan dicek');
      // another customer's kept answer is given back as it was
      const again = await app.call('POST', '/api/v1/tickets', theirs, { token, headers: { 'idempotency-key': 'erase-0502' } });
      expect(again.body).toEqual(other.body);
    });

    it('scrubs the name however its accents are written in the free text (stop 54 audit)', async () => {
      const dede = { name: 'Dédé Ramírez', phone: '081355550801', idPel: '530000000801', province: 'JAWA BARAT' };
      const t = await create(keluhan({ customer: dede, description: 'Dede Ramirez minta tagihan dicek, RAMÍREZ ada di rumah', issueClosed: true }));
      await ok(app.as('admin').post('/api/v1/personal-data/erasures', { idPel: dede.idPel, reason: 'Permintaan pelanggan' }), 201);
      expect((await ok(app.as('cso').get(`/api/v1/tickets/${t.number}`), 200)).description).toBe('[dihapus] minta tagihan dicek, [dihapus] ada di rumah');
    });

    it('a request callback naming no ticket is exported and erased by the identifiers in its note, never by a shared name (stop 54 audit)', async () => {
      const yudi = { name: 'Yudi Hartono', phone: '081377700001', idPel: '530000001001', province: 'JAWA BARAT' };
      const t = await create(keluhan({ customer: yudi, description: 'Tagihan Yudi', issueClosed: true }));
      const mine = await ok(app.as('cso').post('/api/v1/escalations', { category: 'REQUEST_CALLBACK', note: 'Pelanggan Yudi Hartono (ID Pel 530000001001) minta dibatalkan, hubungi 0813-7770-0001' }), 201);
      const byPhoneOnly = await ok(app.as('cso').post('/api/v1/escalations', { category: 'REQUEST_CALLBACK', note: 'Hubungi Pak Yudi di +62 813 7770 0001' }), 201);
      const other = await ok(app.as('cso').post('/api/v1/escalations', { category: 'REQUEST_CALLBACK', note: 'Yudi lain, telepon 081377799999' }), 201);
      const exported = await ok(app.as('admin').get(`/api/v1/personal-data?phone=${yudi.phone}`), 200);
      expect(exported.escalations.map((e: any) => e.id).sort()).toEqual([mine.id, byPhoneOnly.id].sort());
      expect(exported.tickets.map((x: any) => x.number)).toEqual([t.number]);
      const stored = async () => (await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM outbound_payloads WHERE body::text ~ '7770.0001|Hartono|530000001001'`)[0].n;
      expect(await stored()).toBeGreaterThan(0);
      await ok(app.as('admin').post('/api/v1/personal-data/erasures', { phone: yudi.phone, reason: 'Permintaan pelanggan' }), 201);
      const all = (await ok(app.as('backoffice').get('/api/v1/escalations?category=REQUEST_CALLBACK&limit=200'), 200)).items;
      const note = (id: string) => all.find((e: any) => e.id === id).note;
      expect(note(mine.id)).toBe('Pelanggan [dihapus] (ID Pel [dihapus]) minta dibatalkan, hubungi [dihapus]');
      expect(note(byPhoneOnly.id)).toBe('Hubungi Pak [dihapus] di [dihapus]');
      expect(note(other.id)).toBe('Yudi lain, telepon 081377799999'); // a shared first name alone finds no one
      // their stored escalation.created messages too (the endpoint of this block never answers)
      expect(await stored()).toBe(0);
    });

    it('a new report of another customer is never matched to the erased tickets (nulls match no one)', async () => {
      const t = await create(gangguan({ customer: { name: 'Tanpa ID', phone: '081355559999', province: 'JAWA BARAT' } }));
      const history = await ok(app.as('cso').get(`/api/v1/customers/history?number=${t.number}`), 200);
      expect(history.tickets.map((x: any) => x.number)).toEqual([t.number]);
    });
  });

  describe('R-P3 in every owner’s table: ITSM references and notes, ListriQu orders, escalations', () => {
    it('erases by phone across tickets, the ITSM reference with its note, the callback escalation, and the order still at work', async () => {
      const budi = { name: 'Bagus Pratama', phone: '081355550601' };
      const itsm = await create(
        keluhan({
          customer: { ...budi, idPel: '530000000601' },
          problemType: 'LAIN_LAIN',
          subType: 'LAIN_LAIN',
          description: 'Tidak bisa login',
          appProblem: { category: 'Login Gagal', forwardToItsm: true, itsmTicketId: 'PDP-601', callType: 'INCIDENT', email: 'bagus@example.com' },
        }),
      );
      const reference = itsm.itsmReference;
      await ok(app.as('cso').post(`/api/v1/itsm-references/${reference.id}/notes`, { note: 'Bagus Pratama minta dihubungi di 0813 5555 0601' }), 201);
      const callback = await create(
        keluhan({ customer: budi, problemType: 'INFORMASI', subType: 'LAYANAN_KOMPOR_INDUKSI', description: 'Kompor mati, Bagus Pratama', komporInduksi: { installationPowered: true }, callbackAt: new Date(clock.now().getTime() + 3600_000).toISOString() }),
      );
      const iml = await create(
        gangguan({
          customer: { ...budi, address: 'Jl. Anggrek 9', province: 'JAWA BARAT' },
          problemType: 'TETANGGA_TIDAK_TURUT_PADAM',
          woType: 'IML_LISTRIQU',
          description: 'Instalasi rumah padam',
          iml: { willingToPay: true, preferredVisitDate: '2026-12-01', regency: 'Kota Bandung', district: 'Coblong', village: 'Dago', landmark: 'Dekat masjid', latitude: -6.9, longitude: 107.6 },
        }),
      );
      // R-P2: the export holds the order's IML location too (stop 54 audit)
      const exported = await ok(app.as('admin').get('/api/v1/personal-data?phone=081355550601'), 200);
      expect(exported.orders.find((o: any) => o.ticketNumber === iml.number).location).toEqual({ regency: 'Kota Bandung', district: 'Coblong', village: 'Dago', landmark: 'Dekat masjid', latitude: -6.9, longitude: 107.6 });
      // the IML ticket is issue-closed, not open (R-T4): its order being still at work does not hold the erasure back
      const erasure = await ok(app.as('admin').post('/api/v1/personal-data/erasures', { phone: '+62 813-5555-0601', reason: 'Permintaan pelanggan' }), 201);
      for (const status of ['ORDER', 'PENUGASAN', 'SELESAI']) await ok(app.as('listriqu').post(`/api/v1/listriqu/orders/${iml.number}/status`, { status }), 200);
      expect(erasure.records).toBeGreaterThanOrEqual(3 + 1 + 1 + 1);
      const ref = await ok(app.as('cso').get(`/api/v1/itsm-references/${reference.id}`), 200);
      expect(ref.customer).toEqual({ name: '[dihapus]', phone: '[dihapus]', idPel: null });
      expect(ref.email).toBe('[dihapus]');
      expect(ref.notes.map((n: any) => n.note)).toEqual(['[dihapus] minta dihubungi di [dihapus]']);
      const escalations = await ok(app.as('backoffice').get('/api/v1/escalations?category=CALLBACK_PELANGGAN&limit=200'), 200);
      const item = escalations.items.find((e: any) => e.ticketNumber === callback.number);
      expect(item.note).toContain('[dihapus]');
      expect(item.note).not.toContain('Bagus');
      const order = (await ok(app.as('cso').get('/api/v1/listriqu/orders?limit=200'), 200)).items.find((o: any) => o.ticketNumber === iml.number);
      expect(order).toMatchObject({ address: null, province: 'JAWA BARAT', status: 'SELESAI' });
      const doc = await ok(app.as('admin').get('/api/v1/personal-data?phone=081355550601'), 200);
      expect(doc.tickets).toEqual([]);
    });
  });

  describe('R-P4 retention', () => {
    it('erases tickets done more than PERSONAL_DATA_RETENTION_DAYS ago, in batches, once', async () => {
      const old = await create(keluhan({ customer: { ...ANI, idPel: '530000000301', phone: '081355550301' }, description: 'Ani Lestari lapor', issueClosed: true }));
      const recent = await create(keluhan({ customer: { ...ANI, idPel: '530000000302', phone: '081355550302' }, issueClosed: true }));
      await prisma.$executeRaw`UPDATE tickets SET closed_at = closed_at - interval '800 days' WHERE number = ${old.number}`;
      await prisma.$executeRaw`UPDATE ticket_events SET note = 'ANI LESTARI minta dihubungi di +62 813-5555-0301, alamat Jl. Kenanga 7; Lestari menunggu' WHERE ticket_number = ${old.number} AND type = 'CREATED'`;
      // an escalation of each: the due ticket's notes are scrubbed with its own identifiers, the other's kept
      for (const number of [old.number, recent.number]) {
        await prisma.$executeRaw`INSERT INTO escalations (id, category, status, ticket_number, note, created_at, done_at, done_note)
          VALUES (gen_random_uuid(), 'LAPOR_ULANG', 'DONE', ${number}, 'Ani Lestari minta ditelepon 081355550301', now(), now(), 'Sudah ditelepon ke 0813-5555-0301')`;
      }
      const jobs = app.app.get(JobsService);
      expect(await jobs.run('personalDataRetention')).toBe(1);
      expect(await jobs.run('personalDataRetention')).toBe(0);
      const erased = await ok(app.as('cso').get(`/api/v1/tickets/${old.number}`), 200);
      expect(erased.customer.idPel).toBeNull();
      expect(erased.description).toBe('[dihapus] lapor');
      // the events' notes too, each ticket by its own identifiers (scrubbed by scrub.rule.ts `scrubber`)
      const [note] = await prisma.$queryRaw<{ note: string }[]>`SELECT note FROM ticket_events WHERE ticket_number = ${old.number} AND type = 'CREATED'`;
      expect(note.note).toBe('[dihapus] minta dihubungi di [dihapus], alamat [dihapus]; [dihapus] menunggu');
      expect((await ok(app.as('cso').get(`/api/v1/tickets/${recent.number}`), 200)).customer.idPel).toBe('530000000302');
      const escalations = await prisma.$queryRaw<{ number: string; note: string; doneNote: string }[]>`
        SELECT ticket_number AS number, note, done_note AS "doneNote" FROM escalations WHERE ticket_number IN (${old.number}, ${recent.number}) ORDER BY ticket_number`;
      expect(escalations).toEqual([
        { number: old.number, note: '[dihapus] minta ditelepon [dihapus]', doneNote: 'Sudah ditelepon ke [dihapus]' },
        { number: recent.number, note: 'Ani Lestari minta ditelepon 081355550301', doneNote: 'Sudah ditelepon ke 0813-5555-0301' },
      ]);
      const [record] = await prisma.$queryRaw<any[]>`SELECT by_sub, reason FROM personal_data_erasures WHERE by_sub = 'system'`;
      expect(record.reason).toMatch(/730 days/);
    });
    it('erases each ticket once when three instances run the job together (exactly once across replicas, like the other jobs)', async () => {
      const numbers: string[] = [];
      for (let i = 0; i < 12; i++) {
        const n = String(310 + i);
        numbers.push((await create(keluhan({ customer: { ...ANI, idPel: `530000000${n}`, phone: `0813555503${n.slice(1)}` }, issueClosed: true }))).number);
      }
      await prisma.$executeRaw`UPDATE tickets SET closed_at = closed_at - interval '800 days' WHERE number = ANY(${numbers})`;
      const config = { personalDataRetentionDays: 730 };
      const others = await Promise.all([1, 2].map(() => TestApp.start({ clock, databaseUrl: app.databaseUrl, config })));
      try {
        const counts = await Promise.all([app, ...others].map((instance) => instance.app.get(JobsService).run('personalDataRetention')));
        expect(counts.reduce((a, b) => a + b, 0)).toBe(numbers.length);
        const events = await prisma.$queryRaw<{ number: string; n: number }[]>`
          SELECT ticket_number AS number, count(*)::int AS n FROM ticket_events
          WHERE type = 'PERSONAL_DATA_ERASED' AND ticket_number = ANY(${numbers}) GROUP BY ticket_number ORDER BY ticket_number`;
        expect(events).toEqual([...numbers].sort().map((number) => ({ number, n: 1 })));
      } finally {
        for (const other of others) await other.close({ dropDatabase: false });
      }
    });

    it('takes no row lock: a ticket changed after the batch read it is left for the next batch, and erased then with its new text (issue 28)', async () => {
      const t = await create(keluhan({ customer: { ...ANI, idPel: '530000000340', phone: '081355550340' }, description: 'Ani Lestari lapor', issueClosed: true }));
      await prisma.$executeRaw`UPDATE tickets SET closed_at = closed_at - interval '800 days' WHERE number = ${t.number}`;
      const personal = app.app.get(TicketPersonalDataService);
      const cutoff = new Date(clock.now().getTime() - 730 * DAY);
      const first = await prisma.$transaction(async (tx) => {
        const due = (await personal.retentionDue(tx, cutoff, 100)).filter((d) => d.number === t.number);
        expect(due).toHaveLength(1);
        // meanwhile another transaction writes the ticket; with a row lock held by the batch it would wait here
        await prisma.$executeRaw`UPDATE tickets SET rating_comment = 'Ani Lestari puas', version = version + 1 WHERE number = ${t.number}`;
        return personal.eraseScrubbing(tx, due, () => (text) => text?.replace(/Ani Lestari/gi, '[dihapus]') ?? null, SYSTEM_ACTOR, clock.now());
      });
      expect(first).toEqual({ tickets: 0, notes: 0, events: 0, erased: [] });
      expect(await app.app.get(JobsService).run('personalDataRetention')).toBe(1);
      const [row] = await prisma.$queryRaw<any[]>`SELECT customer_id_pel, description, rating_comment FROM tickets WHERE number = ${t.number}`;
      expect(row).toEqual({ customer_id_pel: null, description: '[dihapus] lapor', rating_comment: '[dihapus] puas' });
      const [{ n }] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM ticket_events WHERE ticket_number = ${t.number} AND type = 'PERSONAL_DATA_ERASED'`;
      expect(n).toBe(1);
    });
  });

  describe('R-P5 no harvesting', () => {
    it('answers 429 with Retry-After past LOOKUP_RATE_PER_MINUTE within any 60 s for one person, shared across replicas; others and a minute later go on', async () => {
      const limited = await TestApp.start({ clock, databaseUrl: app.databaseUrl, config: { lookupRatePerMinute: 3 } });
      const second = await TestApp.start({ clock, databaseUrl: app.databaseUrl, config: { lookupRatePerMinute: 3 } });
      try {
        clock.set(new Date(Date.parse('2026-11-27T02:00:10Z')));
        const token = await limited.token('cso', undefined, 'cso-harvester');
        const lookup = (on: TestApp, q: string) => on.call('GET', `/api/v1/customers/history?${q}`, undefined, { token });
        expect((await lookup(limited, 'idPel=530000000401')).status).toBe(200);
        expect((await lookup(second, 'idPel=530000000402')).status).toBe(200);
        expect((await limited.call('GET', '/api/v1/tickets?phone=081355550403', undefined, { token })).status).toBe(200);
        expect((await limited.call('GET', '/api/v1/tickets?unitCode=542', undefined, { token })).status).toBe(200); // not a lookup
        const refused = await lookup(second, 'idPel=530000000404');
        expect(refused.status).toBe(429);
        expect(refused.headers.get('retry-after')).toBe('60'); // until the first of the three is a minute old
        expect(refused.body.type).toMatch(/too-many-requests$/);
        const someoneElse = await limited.call('GET', '/api/v1/customers/history?idPel=530000000404', undefined, { token: await limited.token('cso', undefined, 'cso-other') });
        expect(someoneElse.status).toBe(200);
        clock.advance(MINUTE);
        expect((await lookup(limited, 'idPel=530000000404')).status).toBe(200);

        // any 60 seconds, not the clock's minutes: three at :58, then a new minute at :00 is still the same 60 s
        const edge = await limited.token('cso', undefined, 'cso-edge');
        const edgeLookup = () => limited.call('GET', '/api/v1/customers/history?idPel=530000000405', undefined, { token: edge });
        clock.set(new Date(Date.parse('2026-11-27T02:05:58Z')));
        for (let i = 0; i < 3; i++) expect((await edgeLookup()).status).toBe(200);
        clock.set(new Date(Date.parse('2026-11-27T02:06:01Z')));
        const atTheTurn = await edgeLookup();
        expect([atTheTurn.status, atTheTurn.headers.get('retry-after')]).toEqual([429, '57']);
        clock.set(new Date(Date.parse('2026-11-27T02:06:58.001Z')));
        expect((await edgeLookup()).status).toBe(200); // the :58 lookups are a minute old
      } finally {
        await limited.close({ dropDatabase: false });
        await second.close({ dropDatabase: false });
      }
    });

    it('reports and their CSV carry no personal data', async () => {
      const t = await create(gangguan({ customer: { name: 'Zulkarnain Rahasia', phone: '081377770001', idPel: '539999999991', meterNumber: '14999999991', address: 'Jl. Rahasia 99', province: 'JAWA BARAT' } }));
      await ok(app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'PENUGASAN' }), 200);
      const secrets = ['Zulkarnain', 'Rahasia', '081377770001', '539999999991', '14999999991', t.number];
      const bodies = [
        (await app.as('admin').get('/api/v1/reports/units?from=2026-11-01&to=2026-12-31', { headers: { accept: 'text/csv' } })).body,
        JSON.stringify((await app.as('admin').get('/api/v1/reports/units?from=2026-11-01&to=2026-12-31')).body),
        JSON.stringify((await app.as('admin').get('/api/v1/reports/daily?from=2026-11-01&to=2026-12-31')).body),
        JSON.stringify((await app.as('admin').get('/api/v1/reports/indicators?month=2026-11')).body),
      ];
      for (const body of bodies) for (const secret of secrets) expect(String(body)).not.toContain(secret);
      expect(String(bodies[0])).toContain('unitCode');
    });
  });

  it('the recorder can be switched off (the cost measurement) and on', async () => {
    const log = app.app.get(AccessLog);
    log.enabled = false;
    try {
      const t = await create(gangguan({ customer: { ...ANI, idPel: '530000000501', phone: '081355550501' } }));
      await ok(app.as('cso').get(`/api/v1/tickets/${t.number}`), 200);
      expect((await ok(app.as('admin').get('/api/v1/personal-data/access-log?idPel=530000000501'), 200)).items).toEqual([]);
    } finally {
      log.enabled = true;
    }
  });
});
