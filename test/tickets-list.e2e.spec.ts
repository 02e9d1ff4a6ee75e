import { FakeClock } from '../src/clock/clock';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';

// Issue 4 item 8: the unit dashboards' list (API.md "List").
describe('ticket list for unit dashboards', () => {
  const clock = new FakeClock(new Date('2026-11-23T01:00:00Z'));
  let app: TestApp;
  const numbers: Record<string, string> = {};
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    await registerUnits(app, '542', '543');
    const cso = app.as('cso');
    const make = async (name: string, body: Record<string, unknown>) => {
      clock.advance(1000);
      numbers[name] = (await cso.post('/api/v1/tickets', body)).body.number;
    };
    await make('g542', gangguan());
    await make('k542', keluhan());
    await make('g543', gangguan({ unitCode: '543' }));
    await make('late542', gangguan({ reportedAt: '2026-11-22T20:00:00Z' })); // over SLA at creation
    await make('done542', gangguan());
    clock.advance(1000);
    await app.as('unit', '542').post(`/api/v1/tickets/${numbers.done542}/status`, { status: 'SELESAI', unitAnswer: 'ok' });
  });
  afterAll(() => app.close());

  const list = (role: 'cso' | 'unit' | 'backoffice' | 'admin', query: string, unit?: string, headers?: Record<string, string>) =>
    app.as(role, unit).get(`/api/v1/tickets${query}`, { headers });
  const numbersOf = (body: { items: { number: string }[] }) => body.items.map((t) => t.number);

  it('orders by updatedAt then number, oldest first', async () => {
    const answer = await list('cso', '');
    expect(answer.status).toBe(200);
    expect(numbersOf(answer.body)).toEqual([numbers.g542, numbers.k542, numbers.g543, numbers.late542, numbers.done542]);
    expect(answer.body.nextCursor).toBeNull();
  });

  it('filters by unitCode, status list, kind, open and overSla', async () => {
    expect(numbersOf((await list('cso', '?unitCode=543')).body)).toEqual([numbers.g543]);
    expect(numbersOf((await list('cso', '?unitCode=542&status=LAPOR,SELESAI&kind=GANGGUAN')).body)).toEqual([numbers.g542, numbers.late542, numbers.done542]);
    expect(numbersOf((await list('cso', '?unitCode=542&open=true')).body)).toEqual([numbers.g542, numbers.k542, numbers.late542]);
    expect(numbersOf((await list('cso', '?open=false')).body)).toEqual([numbers.done542]);
    expect(numbersOf((await list('cso', '?overSla=true')).body)).toEqual([numbers.late542]);
    expect(numbersOf((await list('cso', '?updatedSince=2026-11-23T08:00:04%2B07:00')).body)).toEqual([numbers.late542, numbers.done542]);
  });

  it('confines a unit caller to its own unit whatever it asks', async () => {
    expect(numbersOf((await list('unit', '?unitCode=543', '542')).body)).toEqual([numbers.g542, numbers.k542, numbers.late542, numbers.done542]);
    expect(numbersOf((await list('unit', '', '543')).body)).toEqual([numbers.g543]);
  });

  it('refuses the list to mobile and the integrations (403)', async () => {
    for (const role of ['mobile', 'listriqu', 'itsm'] as const) expect((await app.as(role).get('/api/v1/tickets')).status).toBe(403);
  });

  it.each([
    ['?limit=0', 'limit'],
    ['?limit=201', 'limit'],
    ['?limit=abc', 'limit'],
    ['?status=LAPOR,NOPE', 'status'],
    ['?kind=gangguan', 'kind'],
    ['?open=yes', 'open'],
    ['?overSla=1', 'overSla'],
    ['?updatedSince=yesterday', 'updatedSince'],
    ['?unitCode=5', 'unitCode'],
    ['?cursor=not-a-cursor', 'cursor'],
  ])('400 for %s naming %s', async (query, field) => {
    const answer = await list('cso', query);
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].field).toBe(field);
  });

  it('pages with a keyset cursor that stays stable while tickets are inserted', async () => {
    const first = await list('cso', '?limit=2');
    expect(numbersOf(first.body)).toEqual([numbers.g542, numbers.k542]);
    clock.advance(1000);
    const inserted = (await app.as('cso').post('/api/v1/tickets', gangguan())).body.number;
    const second = await list('cso', `?limit=2&cursor=${first.body.nextCursor}`);
    expect(numbersOf(second.body)).toEqual([numbers.g543, numbers.late542]);
    const third = await list('cso', `?limit=2&cursor=${second.body.nextCursor}`);
    expect(numbersOf(third.body)).toEqual([numbers.done542, inserted]);
    expect(third.body.nextCursor).toBeNull();
  });

  describe('ETag', () => {
    it('answers 304 with no body while nothing changed, and 200 with a new ETag after a change', async () => {
      const first = await list('unit', '?open=true', '542');
      const etag = first.headers.get('etag') as string;
      expect(etag).toBeTruthy();
      const again = await list('unit', '?open=true', '542', { 'if-none-match': etag });
      expect(again.status).toBe(304);
      expect(again.body).toBe('');

      clock.advance(1000);
      await app.as('unit', '542').post(`/api/v1/tickets/${numbers.g542}/status`, { status: 'PENUGASAN' });
      const changed = await list('unit', '?open=true', '542', { 'if-none-match': etag });
      expect(changed.status).toBe(200);
      expect(changed.headers.get('etag')).not.toBe(etag);
    });

    it('changes when a ticket is updated within the same millisecond as the newest change', async () => {
      const before = await list('unit', '', '542');
      await app.as('unit', '542').post(`/api/v1/tickets/${numbers.k542}/status`, { status: 'DIPROSES' }); // clock not advanced
      const after = await list('unit', '', '542', { 'if-none-match': before.headers.get('etag') as string });
      expect(after.status).toBe(200);
    });

    // Issue 15: a current If-None-Match is answered before the route's guards and pipes; these pin that
    // the early 304 answers exactly when the route would, with the same headers.
    describe('the early 304 agrees with the route', () => {
      it('carries the ETag and the request id, and counts in the metrics under the list route', async () => {
        const etag = (await list('unit', '?open=true', '542')).headers.get('etag') as string;
        const before = await app.call('GET', '/metrics');
        const notModified = await list('unit', '?open=true', '542', { 'if-none-match': etag, 'x-request-id': 'poll-42' });
        expect(notModified.status).toBe(304);
        expect(notModified.headers.get('etag')).toBe(etag);
        expect(notModified.headers.get('x-request-id')).toBe('poll-42');
        const count = (text: string) => Number(/http_request_duration_seconds_count\{[^}]*route="\/api\/v1\/tickets"[^}]*status_code="304"[^}]*\} (\d+)/.exec(text)?.[1] ?? 0);
        expect(count((await app.call('GET', '/metrics')).body) - count(before.body)).toBe(1);
      });

      it('leaves refusals to the route: no token 401, a bad token 401, a role not allowed 403', async () => {
        const etag = (await list('cso', '?unitCode=542')).headers.get('etag') as string;
        const call = (token: string | null) => app.call('GET', '/api/v1/tickets?unitCode=542', undefined, { token, headers: { 'if-none-match': etag } });
        expect((await call(null)).status).toBe(401);
        expect((await call('not.a.token')).status).toBe(401);
        expect((await call(await app.token('mobile'))).status).toBe(403);
        expect((await call(await app.token('cso'))).status).toBe(304);
      });

      it('never answers 304 to a query the route refuses, even with If-None-Match: *', async () => {
        for (const query of ['?bogus=1', '?limit=abc', '?unitCode=5', '?open=yes']) {
          expect((await list('cso', query, undefined, { 'if-none-match': '*' })).status).toBe(400);
        }
        expect((await list('cso', '', undefined, { 'if-none-match': '*' })).status).toBe(304);
      });

      it('answers one token polling two queries by each query\'s own tag (issue 25: its last poll is remembered)', async () => {
        const token = await app.token('unit', '542');
        const get = (query: string, etag: string) => app.call('GET', `/api/v1/tickets${query}`, undefined, { token, headers: { 'if-none-match': etag } });
        const open = (await list('unit', '?open=true', '542')).headers.get('etag') as string;
        expect((await get('?open=true', open)).status).toBe(304);
        const keluhan = await get('?kind=KELUHAN', open);
        expect(keluhan.status).toBe(200);
        const keluhanTag = keluhan.headers.get('etag') as string;
        expect((await get('?kind=KELUHAN', keluhanTag)).status).toBe(304);
        expect((await get('?open=true', keluhanTag)).status).toBe(200);
        expect((await get('?open=true', open)).status).toBe(304);
        expect((await get('?open=true&unitCode=543', open)).status).toBe(200); // another scope asked: the unit caller's own, another query
      });

      it("a unit's ETag is not current for another unit's caller", async () => {
        const etag = (await list('unit', '', '542')).headers.get('etag') as string;
        expect((await list('unit', '', '543', { 'if-none-match': etag })).status).toBe(200);
      });
    });

    it('is not disturbed by changes in another unit, and differs per query', async () => {
      const mine = await list('unit', '', '542');
      clock.advance(1000);
      await app.as('cso').post('/api/v1/tickets', gangguan({ unitCode: '543' }));
      expect((await list('unit', '', '542', { 'if-none-match': mine.headers.get('etag') as string })).status).toBe(304);
      const other = await list('unit', '?kind=KELUHAN', '542');
      expect(other.headers.get('etag')).not.toBe(mine.headers.get('etag'));
    });
  });
});
