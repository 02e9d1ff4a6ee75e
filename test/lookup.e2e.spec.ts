import { FakeClock } from '../src/clock/clock';
import { phoneKey } from '../src/common/phone';
import { PrismaService } from '../src/database/prisma.service';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';

// DOMAIN.md §12 over HTTP: R-L1 lookup and the list's filters, R-L3 PLN Mobile's view, R-L4 rating.
const MINUTE = 60_000;
const T0 = Date.parse('2026-11-23T01:00:00Z');

describe('finding the customer (§12)', () => {
  const clock = new FakeClock(new Date(T0));
  let app: TestApp;
  let prisma: PrismaService;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    prisma = app.app.get(PrismaService);
    await registerUnits(app, '542', '543');
  });
  afterAll(() => app.close());

  const ok = async (answer: Promise<{ status: number; body: any }>, status: number) => {
    const a = await answer;
    if (a.status !== status) throw new Error(`${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const create = (body: Record<string, unknown>) => {
    clock.advance(MINUTE); // newest first must be observable
    return ok(app.as('cso').post('/api/v1/tickets', body), 201);
  };
  const move = (number: string, body: Record<string, unknown>) => ok(app.as('unit', '542').post(`/api/v1/tickets/${number}/status`, body), 200);
  const history = (query: string, role: 'cso' | 'backoffice' | 'admin' = 'cso') => app.as(role).get(`/api/v1/customers/history?${query}`);
  const numbersOf = (items: { number: string }[]) => items.map((t) => t.number);

  describe('R-L1 phone numbers in any written form', () => {
    it.each([
      ['081234567890', '081234567890'],
      ['6281234567890', '081234567890'],
      ['+62 812-3456-7890', '081234567890'],
      ['+62 (812) 3456.7890', '081234567890'],
      ['81234567890', '081234567890'],
      ['0361 234567', '0361234567'],
      ['021-136', '021136'],
    ])('%s → %s, in the service and in the database alike', async (written, key) => {
      expect(phoneKey(written)).toBe(key);
      const [row] = await prisma.$queryRaw<{ key: string }[]>`SELECT apkt_phone_key(${written}) AS key`;
      expect(row.key).toBe(key);
    });

    it('finds one customer whose tickets hold three written forms, from each form', async () => {
      const customer = (phone: string) => ({ name: 'Wayan Sudarma', phone, idPel: '520000000001', address: 'Jl. Sunset', province: 'BALI' });
      const a = await create(gangguan({ customer: customer('081299990001') }));
      const b = await create(keluhan({ customer: customer('+6281299990001') }));
      const c = await create(gangguan({ customer: customer('6281299990001') }));
      await create(gangguan({ customer: { ...customer('081299990002'), idPel: '520000000002' } })); // another customer
      for (const written of ['081299990001', '+62 812-9999-0001', '62 812 9999 0001', '6281299990001']) {
        const answer = await history(`phone=${encodeURIComponent(written)}`);
        expect(answer.status).toBe(200);
        expect(numbersOf(answer.body.tickets)).toEqual([c.number, b.number, a.number]);
      }
      const listed = await app.as('cso').get(`/api/v1/tickets?phone=${encodeURIComponent('+62 812-9999-0001')}`);
      expect(numbersOf(listed.body.items)).toEqual([a.number, b.number, c.number]);
    });
  });

  describe('R-L1 names ignoring case, accents and spacing, by substring of at least 3 characters', () => {
    let t: any;
    beforeAll(async () => {
      t = await create(gangguan({ customer: { name: 'José  Ramírez Putra', phone: '081311112222', idPel: '530000000001' } }));
      await create(gangguan({ customer: { name: 'Budi Hartono', phone: '081311113333', idPel: '530000000002' } }));
    });

    it.each(['jose ramirez', 'JOSÉ RAMÍREZ', 'ramirezputra', 'Ramírez   Putra', 'mír', 'ose'])('"%s" finds José  Ramírez Putra', async (name) => {
      const answer = await history(`name=${encodeURIComponent(name)}`);
      expect(answer.status).toBe(200);
      expect(numbersOf(answer.body.tickets)).toEqual([t.number]);
      expect(answer.body.customers).toEqual([{ name: 'José  Ramírez Putra', phone: '081311112222', idPel: '530000000001', meterNumber: null }]);
    });

    it('a name LIKE would read as wildcards is matched literally', async () => {
      expect((await history('name=r%25a')).body.tickets).toEqual([]);
      expect((await history('name=r_m')).body.tickets).toEqual([]);
    });

    it.each(['ab', ' a b ', ''])('"%s" (fewer than 3 characters) → 400', async (name) => {
      const answer = await history(`name=${encodeURIComponent(name)}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe('name');
    });
  });

  describe('R-L1 history', () => {
    let first: any;
    let forwarded: any;
    let urgent: any;
    let laporUlang: any;
    let appProblem: any;
    const customer = { name: 'Dewi Lestari', phone: '081255556666', idPel: '540000000001', meterNumber: '14000000001', address: 'Jl. Dago 1', province: 'JAWA BARAT' };
    beforeAll(async () => {
      first = await create(gangguan({ customer }));
      await move(first.number, { status: 'SELESAI', unitAnswer: 'Sudah normal' });
      forwarded = await create(gangguan({ customer, problemType: 'TETANGGA_TIDAK_TURUT_PADAM', woType: 'IML_LISTRIQU', iml: { willingToPay: true, preferredVisitDate: '2026-11-25' } }));
      urgent = await create(gangguan({ customer, urgent: true }));
      clock.advance(MINUTE);
      laporUlang = (await ok(app.as('cso').post(`/api/v1/tickets/${first.number}/re-reports`, { note: 'Padam lagi' }), 201)).ticket;
      clock.advance(MINUTE);
      await ok(app.as('cso').post(`/api/v1/tickets/${urgent.number}/re-reports`, {}), 201); // R-R8: URGENT escalation
      appProblem = await create(
        keluhan({
          customer,
          problemType: 'LAIN_LAIN',
          subType: 'LAIN_LAIN',
          description: 'Tidak bisa masuk aplikasi',
          appProblem: { category: 'Reset Password User', forwardToItsm: true, itsmTicketId: '733905', callType: 'INCIDENT', email: 'dewi@example.com' },
        }),
      );
      await create(gangguan({ customer: { ...customer, name: 'Orang Lain', phone: '081277778888', idPel: '540000000009', meterNumber: '14000000009' } }));
    });

    const expectDewi = (body: any) => {
      expect(numbersOf(body.tickets)).toEqual([appProblem.number, laporUlang.number, urgent.number, forwarded.number, first.number]);
      expect(body.customers).toEqual([{ name: 'Dewi Lestari', phone: '081255556666', idPel: '540000000001', meterNumber: '14000000001' }]);
      expect(body.orders.map((o: any) => o.ticketNumber)).toEqual([forwarded.number]);
      expect(body.itsmReferences.map((r: any) => r.itsmTicketId)).toEqual(['733905']);
      expect(body.escalations.map((e: any) => [e.category, e.ticketNumber])).toEqual([
        ['URGENT', urgent.number],
        ['LAPOR_ULANG', laporUlang.number],
      ]);
    };

    it("shows each order, reference and escalation exactly as its own module's route does (R-L1)", async () => {
      const body = (await history('idPel=540000000001')).body;
      const orders = (await app.as('cso').get('/api/v1/listriqu/orders')).body.items;
      expect(body.orders).toEqual(orders.filter((o: any) => o.ticketNumber === forwarded.number));
      expect(body.orders[0].preferredVisitDate).toBe('2026-11-25');
      const escalations = (await app.as('backoffice').get('/api/v1/escalations?limit=200')).body.items;
      expect(body.escalations).toEqual(body.escalations.map((e: any) => escalations.find((x: any) => x.id === e.id)));
      const reference = (await app.as('cso').get(`/api/v1/itsm-references/${body.itsmReferences[0].id}`)).body;
      expect(body.itsmReferences).toEqual([reference]);
    });

    it.each([
      ['idPel', 'idPel=540000000001'],
      ['meterNumber', 'meterNumber=14000000001'],
      ['phone', 'phone=%2B62%20812-5555-6666'],
      ['name', 'name=dewi%20LESTARI'],
    ])('by %s: every ticket, order, ITSM reference and escalation, newest first', async (_by, query) => {
      const answer = await history(query);
      expect(answer.status).toBe(200);
      expectDewi(answer.body);
    });

    it('by a ticket number: that ticket\'s customer', async () => {
      expectDewi((await history(`number=${first.number}`)).body);
    });

    it.each(['backoffice', 'admin'] as const)('%s may look up too', async (role) => {
      expect((await history('idPel=540000000001', role)).status).toBe(200);
    });

    it('nothing found → 200 with empty lists ("data tidak ditemukan")', async () => {
      for (const query of ['idPel=599999999999', 'phone=0899999999', 'name=zzzqqq', 'number=G5422026999999', 'meterNumber=19999999999']) {
        expect((await history(query)).body).toEqual({ customers: [], tickets: [], orders: [], itsmReferences: [], escalations: [] });
      }
    });

    it('at most 50 tickets, newest first', async () => {
      const many = { name: 'Banyak', phone: '081200000050', idPel: '550000000050' };
      for (let i = 0; i < 52; i++) await create(gangguan({ customer: many }));
      const tickets = (await history('idPel=550000000050')).body.tickets;
      expect(tickets).toHaveLength(50);
      const times = tickets.map((t: any) => t.reportedAt);
      expect([...times].sort().reverse()).toEqual(times);
    });

    it.each([
      ['', 'number'],
      ['idPel=540000000001&phone=081255556666', 'phone'],
      ['idPel=12345', 'idPel'],
      ['meterNumber=abc', 'meterNumber'],
      ['phone=12', 'phone'],
      ['phone=0812abc', 'phone'],
      ['number=X1', 'number'],
      ['idPel=540000000001&idPel=540000000002', 'idPel'],
      ['kind=GANGGUAN', 'kind'],
    ])('?%s → 400 naming %s', async (query, field) => {
      const answer = await history(query);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe(field);
    });

    it.each(['mobile', 'unit', 'listriqu', 'itsm'] as const)('%s → 403', async (role) => {
      expect((await app.as(role).get('/api/v1/customers/history?idPel=540000000001')).status).toBe(403);
    });
  });

  describe('R-L1 the ticket list\'s filters (API.md "List")', () => {
    const who = { name: 'Filter Satu', phone: '081366660001', idPel: '560000000001', meterNumber: '16000000001' };
    const t: Record<string, any> = {};
    let from: string;
    beforeAll(async () => {
      from = new Date(clock.now().getTime() + 30_000).toISOString();
      t.plain = await create(gangguan({ customer: who }));
      t.urgent = await create(gangguan({ customer: who, urgent: true, channel: 'OTHER' }));
      t.keluhan = await create(keluhan({ customer: who }));
      t.other = await create(gangguan({ customer: { ...who, idPel: '560000000002', meterNumber: '16000000002', phone: '081366660002' }, unitCode: '543' }));
      await move(t.plain.number, { status: 'SELESAI', unitAnswer: 'ok' });
      await ok(app.as('cso').post(`/api/v1/tickets/${t.plain.number}/re-reports`, {}), 201);
    });
    const list = async (query: string) => {
      const answer = await app.as('cso').get(`/api/v1/tickets?reportedFrom=${encodeURIComponent(from)}&${query}`);
      if (answer.status !== 200) throw new Error(JSON.stringify(answer.body));
      return numbersOf(answer.body.items);
    };

    it('idPel, meterNumber and phone (any written form)', async () => {
      expect(await list('idPel=560000000001')).toEqual(expect.arrayContaining([t.plain.number, t.urgent.number, t.keluhan.number]));
      expect(await list('idPel=560000000002')).toEqual([t.other.number]);
      expect(await list('meterNumber=16000000002')).toEqual([t.other.number]);
      expect(await list('phone=6281366660002')).toEqual([t.other.number]);
    });

    it('urgent, reReported, problemType, subType, channel', async () => {
      expect(await list('urgent=true')).toEqual([t.urgent.number]);
      expect(await list('urgent=false&idPel=560000000002')).toEqual([t.other.number]);
      expect(await list('reReported=true')).toEqual([t.plain.number]);
      expect(await list('problemType=TAGIHAN')).toEqual([t.keluhan.number]);
      expect(await list('problemType=TAGIHAN&subType=TAGIHAN_SUSULAN')).toEqual([t.keluhan.number]);
      expect(await list('subType=TAGIHAN_SUSULAN')).toEqual([t.keluhan.number]);
      expect(await list('channel=OTHER')).toEqual([t.urgent.number]);
    });

    it('reportedFrom inclusive, reportedTo exclusive', async () => {
      const at = (x: any) => encodeURIComponent(x.reportedAt);
      const answer = await app.as('cso').get(`/api/v1/tickets?reportedFrom=${at(t.urgent)}&reportedTo=${at(t.other)}`);
      expect(numbersOf(answer.body.items).sort()).toEqual([t.urgent.number, t.keluhan.number].sort());
    });

    it('keeps the ETag and 304 with the filters, and a filter changes the ETag', async () => {
      const first = await app.as('cso').get('/api/v1/tickets?idPel=560000000001');
      const etag = first.headers.get('etag') as string;
      expect((await app.as('cso').get('/api/v1/tickets?idPel=560000000001', { headers: { 'if-none-match': etag } })).status).toBe(304);
      expect((await app.as('cso').get('/api/v1/tickets?idPel=560000000002', { headers: { 'if-none-match': etag } })).status).toBe(200);
    });

    it.each([
      ['idPel=1', 'idPel'],
      ['meterNumber=1', 'meterNumber'],
      ['phone=abc', 'phone'],
      ['urgent=yes', 'urgent'],
      ['reReported=1', 'reReported'],
      ['problemType=padam', 'problemType'],
      ['subType=a-b', 'subType'],
      ['channel=SMS', 'channel'],
      ['reportedFrom=2026-11-23', 'reportedFrom'],
      ['reportedTo=tomorrow', 'reportedTo'],
    ])('?%s → 400 naming %s', async (query, field) => {
      const answer = await app.as('cso').get(`/api/v1/tickets?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe(field);
    });
  });

  describe('R-L3 PLN Mobile\'s view', () => {
    const mine = { name: 'Putu Mine', phone: '081377770001', idPel: '570000000001', meterNumber: '17000000001', address: 'Jl. Rahasia 1' };
    const theirs = { name: 'Komang Theirs', phone: '081377770002', idPel: '570000000002', meterNumber: '17000000002', address: 'Jl. Rahasia 2' };
    let older: any;
    let newer: any;
    beforeAll(async () => {
      older = await create(gangguan({ customer: mine, description: 'Padam sejak pagi' }));
      await move(older.number, { status: 'PENUGASAN', note: 'CATATAN INTERNAL petugas' });
      clock.advance(MINUTE);
      await move(older.number, { status: 'SELESAI', unitAnswer: 'Sudah normal kembali' });
      await ok(app.as('cso').post(`/api/v1/tickets/${older.number}/updates`, { note: 'Catatan agen rahasia' }), 201);
      newer = await create(keluhan({ customer: mine }));
      await create(gangguan({ customer: theirs }));
    });

    it('the customer\'s tickets, newest first, with their status timelines', async () => {
      const answer = await app.as('mobile').get('/api/v1/customers/tickets?idPel=570000000001');
      expect(answer.status).toBe(200);
      expect(answer.body.items.map((i: any) => i.number)).toEqual([newer.number, older.number]);
      const [, o] = answer.body.items;
      expect(Object.keys(o).sort()).toEqual(['kind', 'number', 'outage', 'rating', 'reportedAt', 'status', 'successorNumber', 'timeline', 'unitAnswer']);
      expect(o).toMatchObject({ kind: 'GANGGUAN', status: 'SELESAI', unitAnswer: 'Sudah normal kembali', successorNumber: null, outage: null, rating: null, reportedAt: older.reportedAt });
      expect(o.timeline.map((e: any) => e.status)).toEqual(['LAPOR', 'PENUGASAN', 'SELESAI']);
      expect(o.timeline.every((e: any) => Object.keys(e).sort().join() === 'at,status')).toBe(true);
      expect((await app.as('mobile').get('/api/v1/customers/tickets?meterNumber=17000000001')).body).toEqual(answer.body);
    });

    it('never holds internal notes, actor ids or another customer\'s data', async () => {
      const text = JSON.stringify((await app.as('mobile').get('/api/v1/customers/tickets?idPel=570000000001')).body);
      for (const secret of ['CATATAN INTERNAL', 'Catatan agen', 'test-cso', 'test-unit', theirs.name, theirs.phone, theirs.idPel, theirs.meterNumber, theirs.address, mine.address, mine.phone]) {
        expect(text).not.toContain(secret);
      }
    });

    it.each([
      ['', 'idPel'],
      ['idPel=570000000001&meterNumber=17000000001', 'meterNumber'],
      ['idPel=57', 'idPel'],
      ['phone=081377770001', 'phone'],
    ])('?%s → 400 naming %s', async (query, field) => {
      const answer = await app.as('mobile').get(`/api/v1/customers/tickets?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe(field);
    });

    it.each(['cso', 'unit', 'backoffice', 'admin', 'listriqu', 'itsm'] as const)('%s → 403', async (role) => {
      expect((await app.as(role).get('/api/v1/customers/tickets?idPel=570000000001')).status).toBe(403);
    });
  });

  describe('R-L4 rating', () => {
    const rate = (number: string, body: unknown, role: 'cso' | 'mobile' = 'mobile') => app.as(role).post(`/api/v1/tickets/${number}/rating`, body);

    it('before NYALA → 409; at NYALA → 201 with the rating and a RATED event; a second rating → 409', async () => {
      const t = await create(gangguan());
      for (const status of [null, 'PENGERJAAN', 'NYALA_SEMENTARA']) {
        if (status) await move(t.number, { status });
        expect((await rate(t.number, { score: 5 })).status).toBe(409);
      }
      await move(t.number, { status: 'NYALA' });
      const answer = await rate(t.number, { score: 4, comment: 'Cepat ditangani' });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({ number: t.number, status: 'NYALA', rating: { score: 4, comment: 'Cepat ditangani', at: clock.now().toISOString() } });
      const events = (await app.as('cso').get(`/api/v1/tickets/${t.number}/events`)).body.items;
      expect(events.at(-1)).toMatchObject({ type: 'RATED', actor: { sub: 'test-mobile', role: 'mobile' } });
      const again = await rate(t.number, { score: 1 }, 'cso');
      expect(again.status).toBe(409);
      expect((await app.as('cso').get(`/api/v1/tickets/${t.number}`)).body.rating.score).toBe(4);
    });

    it.each([
      ['SELESAI', async (n: string) => move(n, { status: 'SELESAI', unitAnswer: 'ok' })],
      ['DITUTUP', async (n: string) => {
        await move(n, { status: 'SELESAI', unitAnswer: 'ok' });
        await ok(app.as('cso').post(`/api/v1/tickets/${n}/confirmation`, { resolved: true }), 200);
      }],
    ])('%s may be rated, without a comment', async (_status, reach) => {
      const t = await create(keluhan());
      await reach(t.number);
      const answer = await rate(t.number, { score: 1 }, 'cso');
      expect(answer.status).toBe(201);
      expect(answer.body.rating).toMatchObject({ score: 1, comment: null });
    });

    it.each([
      ['BATAL', { status: 'BATAL', reason: 'Salah input' }],
    ])('%s → 409', async (_s, body) => {
      const t = await create(gangguan());
      await move(t.number, body);
      expect((await rate(t.number, { score: 3 })).status).toBe(409);
    });

    it('two ratings at once: one 201, one 409', async () => {
      const t = await create(gangguan());
      await move(t.number, { status: 'NYALA' });
      const answers = await Promise.all([rate(t.number, { score: 2 }), rate(t.number, { score: 3 })]);
      expect(answers.map((a) => a.status).sort()).toEqual([201, 409]);
    });

    it.each([
      [{ score: 0 }, 'score'],
      [{ score: 6 }, 'score'],
      [{ score: 2.5 }, 'score'],
      [{ score: '5' }, 'score'],
      [{}, 'score'],
      [{ score: 5, comment: 'x'.repeat(501) }, 'comment'],
      [{ score: 5, comment: 5 }, 'comment'],
      [{ score: 5, extra: true }, 'extra'],
    ])('%j → 400 naming %s', async (body, field) => {
      const t = await create(gangguan());
      const answer = await rate(t.number, body);
      expect(answer.status).toBe(400);
      expect(answer.body.errors.map((e: any) => e.field)).toContain(field);
    });

    it('a comment of 500 characters is fine', async () => {
      const t = await create(gangguan());
      await move(t.number, { status: 'NYALA' });
      expect((await rate(t.number, { score: 5, comment: 'x'.repeat(500) })).status).toBe(201);
    });

    it.each(['unit', 'backoffice', 'admin', 'listriqu', 'itsm'] as const)('%s → 403', async (role) => {
      expect((await app.as(role, role === 'unit' ? '542' : undefined).post('/api/v1/tickets/G5422026000001/rating', { score: 5 })).status).toBe(403);
    });

    it('an unknown ticket → 404', async () => {
      expect((await rate('G5422026999999', { score: 5 })).status).toBe(404);
    });
  });
});
