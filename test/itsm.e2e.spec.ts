import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { JobsService } from '../src/jobs/jobs.service';
import { TestApp } from './support/app';
import { createTicket, keluhan, registerUnits } from './support/fixtures';

// Issue 7, §8 App problems and the IT service desk (R-A1…R-A5) and R-J5, over HTTP against a real PostgreSQL.
const DAY = 24 * 60 * 60 * 1000;
const REPEAT_NOTE = 'Pelanggan melaporkan kembali belum ada tindaklanjut, Pelanggan belum mendapatkan balasan email.';

describe('app problems and ITSM references', () => {
  const T0 = new Date('2026-11-23T01:00:00.000Z');
  const clock = new FakeClock(T0);
  let app: TestApp;
  let prisma: PrismaService;
  let customers = 0;
  let itsmIds = 700000;

  beforeAll(async () => {
    app = await TestApp.start({ clock });
    prisma = app.app.get(PrismaService);
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());
  beforeEach(() => clock.set(T0));

  /** A customer no other test uses, so each test sees only its own references. */
  const newCustomer = (withIdPel = true) => {
    customers += 1;
    const n = String(customers).padStart(4, '0');
    return { name: `Pelanggan ${n}`, phone: `08129000${n}`, ...(withIdPel ? { idPel: `51230000${n}` } : {}) };
  };
  const nextItsmId = () => String((itsmIds += 1));
  const answered = (customer: object, category = 'Cara Download Aplikasi', over: Record<string, unknown> = {}) =>
    keluhan({ customer, problemType: 'LAIN_LAIN', subType: 'LAIN_LAIN', description: 'Pelanggan bertanya cara mengunduh PLN Mobile', appProblem: { category }, ...over });
  const forwarded = (customer: object, category = 'Login Gagal', problem: Record<string, unknown> = {}) =>
    keluhan({
      customer,
      problemType: 'LAIN_LAIN',
      subType: 'LAIN_LAIN',
      description: 'Pelanggan tidak bisa login ke PLN Mobile',
      appProblem: { category, forwardToItsm: true, itsmTicketId: nextItsmId(), callType: 'INCIDENT', email: 'budi@example.com', ...problem },
    });
  const create = (body: unknown) => app.as('cso').post('/api/v1/tickets', body);
  const created = (body: unknown) => createTicket(app, body);
  const list = (query: string) => app.as('cso').get(`/api/v1/itsm-references${query}`);
  const reportStatus = (id: string, status: string) => app.as('itsm').post(`/api/v1/itsm-references/${id}/status`, { status });
  const fields = (answer: { body: { errors?: { field: string }[] } }) => answer.body.errors?.map((e) => e.field);

  describe('R-A1 answered at the contact centre', () => {
    it('is an issue-closed Keluhan LAIN_LAIN / LAIN_LAIN with the keterangan and no reference', async () => {
      const customer = newCustomer();
      const ticket = await created(answered(customer, 'Cara Download Aplikasi'));
      expect(ticket).toMatchObject({
        kind: 'KELUHAN',
        status: 'ISSUE_CLOSED',
        problemType: 'LAIN_LAIN',
        subType: 'LAIN_LAIN',
        description: 'New PLN Mobile – Cara Download Aplikasi',
        closedAt: T0.toISOString(),
        itsmReference: null,
      });
      expect(ticket.number).toMatch(/^K5422026\d{6}$/);
      const events = (await app.as('cso').get(`/api/v1/tickets/${ticket.number}/events`)).body.items;
      expect(events).toEqual([expect.objectContaining({ type: 'CREATED', toStatus: 'ISSUE_CLOSED', note: 'Pelanggan bertanya cara mengunduh PLN Mobile' })]);
      expect((await list(`?idPel=${customer.idPel}`)).body).toEqual({ items: [], nextCursor: null });
    });

    it('records any app problem as an issue-closed Keluhan LAIN_LAIN / LAIN_LAIN, ignoring ITSM fields when not forwarded', async () => {
      const customer = newCustomer();
      const stray = await created(answered(customer, 'Lupa Password', { kind: 'GANGGUAN', problemType: 'APLIKASI', subType: null, appProblem: { category: 'Lupa Password', email: 'a@example.com' } }));
      expect(stray).toMatchObject({ kind: 'KELUHAN', status: 'ISSUE_CLOSED', problemType: 'LAIN_LAIN', subType: 'LAIN_LAIN', description: 'New PLN Mobile – Lupa Password', itsmReference: null });
    });
  });

  describe('R-A2 forwarded to the IT service desk', () => {
    it('creates a LOGGED reference with the fields of the report, linked to the issue-closed Keluhan', async () => {
      const customer = newCustomer();
      const body = forwarded(customer, 'Reset Password User', { itsmTicketId: '733905', callType: 'SERVICE_REQUEST' });
      const ticket = await created(body);
      expect(ticket).toMatchObject({
        kind: 'KELUHAN',
        status: 'ISSUE_CLOSED',
        problemType: 'LAIN_LAIN',
        subType: 'LAIN_LAIN',
        description: 'New PLN Mobile – Reset Password User – eskalasi ITSM',
      });
      expect(ticket.itsmReference).toEqual({
        id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        itsmTicketId: '733905',
        callType: 'SERVICE_REQUEST',
        category: 'Reset Password User',
        status: 'LOGGED',
        email: 'budi@example.com',
        customer: { name: customer.name, phone: customer.phone, idPel: customer.idPel },
        ticketNumbers: [ticket.number],
        previousItsmTicketId: null,
        notes: [],
        createdAt: T0.toISOString(),
        updatedAt: T0.toISOString(),
      });
      const read = await app.as('backoffice').get(`/api/v1/itsm-references/${ticket.itsmReference.id}`);
      expect(read.status).toBe(200);
      expect(read.body).toEqual(ticket.itsmReference);
    });

    it.each([
      ['a bad e-mail', { email: 'budi@' }, 'appProblem.email'],
      ['no e-mail', { email: undefined }, 'appProblem.email'],
      ['no ITSM ticket id', { itsmTicketId: undefined }, 'appProblem.itsmTicketId'],
      ['no call type', { callType: undefined }, 'appProblem.callType'],
      ['a call type not spelled exactly', { callType: 'incident' }, 'appProblem.callType'],
      ['forwardToItsm not a boolean', { forwardToItsm: 'true' }, 'appProblem.forwardToItsm'],
    ])('is 400 for %s, naming the field, and records nothing', async (_, problem, field) => {
      const customer = newCustomer();
      const answer = await create(forwarded(customer, 'Login Gagal', problem));
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
      expect(fields(answer)).toContain(field);
      expect((await list(`?idPel=${customer.idPel}`)).body.items).toEqual([]);
    });

    it('commits the reference and the Keluhan together: a failed create leaves no reference', async () => {
      const customer = newCustomer();
      const answer = await create({ ...forwarded(customer), unitCode: '999' });
      expect(answer.status).toBe(400);
      expect(fields(answer)).toEqual(['unitCode']);
      expect((await list(`?idPel=${customer.idPel}`)).body.items).toEqual([]);
    });

    it('is 409 when the ITSM ticket id already belongs to another report', async () => {
      const first = await created(forwarded(newCustomer(), 'Login Gagal'));
      const other = newCustomer();
      const answer = await create(forwarded(other, 'Login Gagal', { itsmTicketId: first.itsmReference.itsmTicketId }));
      expect(answer.status).toBe(409);
      expect((await list(`?idPel=${other.idPel}`)).body.items).toEqual([]);
    });
  });

  describe('R-A3 repeat while the reference is open', () => {
    it('needs no new ITSM ticket id, call type or e-mail for a repeat while open (only a new reference does)', async () => {
      const customer = newCustomer();
      const first = await created(forwarded(customer, 'Akun Terkunci'));
      const repeat = await created(answered(customer, 'Akun Terkunci', { appProblem: { category: 'Akun Terkunci', forwardToItsm: true } }));
      expect(repeat.itsmReference.id).toBe(first.itsmReference.id);
      const fresh = await create(answered(newCustomer(), 'Akun Terkunci', { appProblem: { category: 'Akun Terkunci', forwardToItsm: true } }));
      expect(fresh.status).toBe(400);
      expect(fields(fresh)).toEqual(['appProblem.itsmTicketId']);
    });

    it('a PLN Mobile login problem forwarded twice makes one reference with the note and the repeat keterangan', async () => {
      const customer = newCustomer();
      const first = await created(forwarded(customer, 'Login Gagal', { itsmTicketId: '741001' }));
      clock.advance(DAY);
      // the agent does not make a new ITSM ticket for a repeat; an id sent anyway is not used
      const second = await created(forwarded(customer, 'Login Gagal', { itsmTicketId: '741002' }));
      expect(second.description).toBe('New PLN Mobile – Login Gagal – eskalasi ITSM Pelanggan melaporkan kembali No. Tiket ITSM 741001');
      expect(second.status).toBe('ISSUE_CLOSED');
      expect(second.itsmReference).toMatchObject({
        id: first.itsmReference.id,
        itsmTicketId: '741001',
        status: 'LOGGED',
        ticketNumbers: [first.number, second.number],
        notes: [{ note: `${REPEAT_NOTE}\ntest-cso`, by: 'test-cso', at: clock.now().toISOString() }],
        createdAt: T0.toISOString(),
        updatedAt: clock.now().toISOString(),
      });
      const listed = (await list(`?idPel=${customer.idPel}`)).body.items;
      expect(listed).toHaveLength(1);
      expect(listed[0]).toEqual(second.itsmReference);
    });

    it('notes the open reference in any status short of RESOLVED', async () => {
      const customer = newCustomer();
      const first = await created(forwarded(customer, 'Login Gagal'));
      expect((await reportStatus(first.itsmReference.id, 'WAITING_FOR_3RD_PARTY')).status).toBe(200);
      const second = await created(forwarded(customer, 'Login Gagal'));
      expect(second.itsmReference).toMatchObject({ id: first.itsmReference.id, status: 'WAITING_FOR_3RD_PARTY', notes: [{ by: 'test-cso' }] });
    });

    it('a different problem of the same customer gets its own reference', async () => {
      const customer = newCustomer();
      const login = await created(forwarded(customer, 'Login Gagal'));
      const token = await created(forwarded(customer, 'Token Tidak Masuk'));
      expect(token.description).toBe('New PLN Mobile – Token Tidak Masuk – eskalasi ITSM');
      expect(token.itsmReference.id).not.toBe(login.itsmReference.id);
      expect(token.itsmReference).toMatchObject({ category: 'Token Tidak Masuk', notes: [], ticketNumbers: [token.number] });
      expect((await list(`?idPel=${customer.idPel}`)).body.items).toHaveLength(2);
    });

    it('finds the reference by phone when the customer gives no ID Pel', async () => {
      const customer = newCustomer(false);
      const first = await created(forwarded(customer, 'Login Gagal'));
      expect(first.itsmReference.customer).toEqual({ name: customer.name, phone: customer.phone, idPel: null });
      const second = await created(forwarded(customer, 'Login Gagal'));
      expect(second.itsmReference.id).toBe(first.itsmReference.id);
      expect(second.description).toBe(`New PLN Mobile – Login Gagal – eskalasi ITSM Pelanggan melaporkan kembali No. Tiket ITSM ${first.itsmReference.itsmTicketId}`);
      const otherPhone = await created(forwarded({ ...customer, phone: '081290009999' }, 'Login Gagal'));
      expect(otherPhone.itsmReference.id).not.toBe(first.itsmReference.id);
      expect((await list(`?phone=${customer.phone}`)).body.items.map((r: { id: string }) => r.id)).toEqual([first.itsmReference.id]);
    });

    it('two simultaneous forwards of one customer and problem make one reference', async () => {
      const customer = newCustomer();
      const answers = await Promise.all([1, 2, 3, 4].map(() => create(forwarded(customer, 'Login Gagal'))));
      expect(answers.map((a) => a.status)).toEqual([201, 201, 201, 201]);
      const references = (await list(`?idPel=${customer.idPel}`)).body.items;
      expect(references).toHaveLength(1);
      expect(references[0].ticketNumbers.sort()).toEqual(answers.map((a) => a.body.number).sort());
      expect(references[0].notes).toHaveLength(3);
      const descriptions = answers.map((a) => a.body.description);
      expect(descriptions.filter((d) => d === 'New PLN Mobile – Login Gagal – eskalasi ITSM')).toHaveLength(1);
      expect(descriptions.filter((d) => d.endsWith(`Pelanggan melaporkan kembali No. Tiket ITSM ${references[0].itsmTicketId}`))).toHaveLength(3);
    });
  });

  describe('R-A4 repeat after the reference is done', () => {
    it.each(['RESOLVED', 'CLOSED'])('after the service desk reports %s: a new reference naming the old ITSM ticket', async (status) => {
      const customer = newCustomer();
      const first = await created(forwarded(customer, 'Login Gagal', { itsmTicketId: `75${status.length}001` }));
      expect((await reportStatus(first.itsmReference.id, status)).body.status).toBe(status);
      clock.advance(DAY);
      const again = await created(forwarded(customer, 'Login Gagal', { itsmTicketId: `75${status.length}002` }));
      expect(again.description).toBe(`New PLN Mobile – Login Gagal – eskalasi ITSM No. Tiket ITSM lama 75${status.length}001, baru 75${status.length}002`);
      expect(again.itsmReference).toMatchObject({
        itsmTicketId: `75${status.length}002`,
        previousItsmTicketId: `75${status.length}001`,
        status: 'LOGGED',
        ticketNumbers: [again.number],
        notes: [],
        createdAt: clock.now().toISOString(),
      });
      expect(again.itsmReference.id).not.toBe(first.itsmReference.id);
      // a third report while the new one is open is a repeat of the new one (R-A3)
      const third = await created(forwarded(customer, 'Login Gagal'));
      expect(third.itsmReference.id).toBe(again.itsmReference.id);
      expect(third.description).toBe(`New PLN Mobile – Login Gagal – eskalasi ITSM Pelanggan melaporkan kembali No. Tiket ITSM 75${status.length}002`);
      expect((await list(`?idPel=${customer.idPel}`)).body.items).toHaveLength(2);
    });

    it('is 409 when the agent gives the old ITSM ticket id again', async () => {
      const customer = newCustomer();
      const first = await created(forwarded(customer, 'Login Gagal'));
      await reportStatus(first.itsmReference.id, 'RESOLVED');
      const answer = await create(forwarded(customer, 'Login Gagal', { itsmTicketId: first.itsmReference.itsmTicketId }));
      expect(answer.status).toBe(409);
    });
  });

  describe('R-A5 statuses reported by the service desk', () => {
    it('moves through the statuses and refuses any change once CLOSED (409)', async () => {
      const ref = (await created(forwarded(newCustomer()))).itsmReference;
      for (const status of ['ACTIVE', 'WAITING_FOR_APPROVAL', 'RESOLVED', 'ACTIVE', 'CLOSED']) {
        clock.advance(1000);
        const answer = await reportStatus(ref.id, status);
        expect(answer.status).toBe(200);
        expect(answer.body).toMatchObject({ id: ref.id, status, updatedAt: clock.now().toISOString() });
      }
      for (const status of ['ACTIVE', 'CLOSED']) {
        const refused = await reportStatus(ref.id, status);
        expect(refused.status).toBe(409);
        expect(refused.headers.get('content-type')).toMatch(/application\/problem\+json/);
      }
      expect((await app.as('cso').post(`/api/v1/itsm-references/${ref.id}/notes`, { note: 'x' })).status).toBe(409);
    });

    it('is 400 for a status R-A5 does not name, and 404 for an unknown reference', async () => {
      const ref = (await created(forwarded(newCustomer()))).itsmReference;
      const bad = await reportStatus(ref.id, 'Active');
      expect(bad.status).toBe(400);
      expect(fields(bad)).toEqual(['status']);
      expect((await reportStatus('00000000-0000-4000-8000-000000000000', 'ACTIVE')).status).toBe(404);
      expect((await reportStatus('not-a-uuid', 'ACTIVE')).status).toBe(404);
      expect((await app.as('cso').get('/api/v1/itsm-references/not-a-uuid')).status).toBe(404);
      expect((await app.as('cso').get('/api/v1/itsm-references/00000000-0000-4000-8000-000000000000')).status).toBe(404);
    });
  });

  describe('notes', () => {
    it('an agent adds a note (201), signed with their sub', async () => {
      const ref = (await created(forwarded(newCustomer()))).itsmReference;
      clock.advance(60_000);
      const answer = await app.as('cso').post(`/api/v1/itsm-references/${ref.id}/notes`, { note: 'Pelanggan mengirim tangkapan layar lewat email' });
      expect(answer.status).toBe(201);
      expect(answer.body).toMatchObject({
        id: ref.id,
        notes: [{ note: 'Pelanggan mengirim tangkapan layar lewat email', by: 'test-cso', at: clock.now().toISOString() }],
        updatedAt: clock.now().toISOString(),
        status: 'LOGGED',
      });
      expect(fields(await app.as('cso').post(`/api/v1/itsm-references/${ref.id}/notes`, { note: '' }))).toEqual(['note']);
      expect((await app.as('cso').post(`/api/v1/itsm-references/${ref.id}/notes`, { note: 'x', extra: 1 })).status).toBe(400);
    });
  });

  describe('list', () => {
    it('filters by status, ID Pel and phone, oldest first, in pages', async () => {
      const customer = newCustomer();
      const refs = [];
      for (const category of ['A', 'B', 'C']) {
        clock.advance(1000);
        refs.push((await created(forwarded(customer, category))).itsmReference);
      }
      await reportStatus(refs[1].id, 'ACTIVE');
      const page1 = await list(`?idPel=${customer.idPel}&limit=2`);
      expect(page1.body.items.map((r: { id: string }) => r.id)).toEqual([refs[0].id, refs[1].id]);
      expect(page1.body.nextCursor).toEqual(expect.any(String));
      const page2 = await list(`?idPel=${customer.idPel}&limit=2&cursor=${page1.body.nextCursor}`);
      expect(page2.body).toEqual({ items: [expect.objectContaining({ id: refs[2].id })], nextCursor: null });
      const active = await list(`?idPel=${customer.idPel}&status=ACTIVE`);
      expect(active.body.items.map((r: { id: string }) => r.id)).toEqual([refs[1].id]);
      const two = await list(`?phone=${customer.phone}&status=LOGGED,ACTIVE`);
      expect(two.body.items).toHaveLength(3);
    });

    it.each([
      ['status=OPEN', 'status'],
      ['limit=0', 'limit'],
      ['limit=201', 'limit'],
      ['cursor=nonsense', 'cursor'],
      ['idPel=123', 'idPel'],
      ['phone=abc', 'phone'],
    ])('is 400 for ?%s', async (query, field) => {
      const answer = await list(`?${query}`);
      expect(answer.status).toBe(400);
      expect(fields(answer)).toEqual([field]);
    });
  });

  describe('§10 who may do what', () => {
    it('lets cso, backoffice and admin read; refuses the other roles (403) and no token (401)', async () => {
      const ref = (await created(forwarded(newCustomer()))).itsmReference;
      for (const role of ['cso', 'backoffice', 'admin'] as const) {
        expect((await app.as(role).get('/api/v1/itsm-references')).status).toBe(200);
        expect((await app.as(role).get(`/api/v1/itsm-references/${ref.id}`)).status).toBe(200);
      }
      for (const role of ['unit', 'mobile', 'listriqu', 'itsm'] as const) {
        expect((await app.as(role).get('/api/v1/itsm-references')).status).toBe(403);
        expect((await app.as(role).get(`/api/v1/itsm-references/${ref.id}`)).status).toBe(403);
      }
      expect((await app.call('GET', '/api/v1/itsm-references')).status).toBe(401);
      expect((await app.call('POST', `/api/v1/itsm-references/${ref.id}/status`, { status: 'ACTIVE' })).status).toBe(401);
    });

    it('only the itsm integration reports a status, only an agent adds a note', async () => {
      const ref = (await created(forwarded(newCustomer()))).itsmReference;
      for (const role of ['cso', 'backoffice', 'admin', 'unit'] as const) {
        expect((await app.as(role).post(`/api/v1/itsm-references/${ref.id}/status`, { status: 'ACTIVE' })).status).toBe(403);
      }
      for (const role of ['itsm', 'backoffice', 'mobile'] as const) {
        expect((await app.as(role).post(`/api/v1/itsm-references/${ref.id}/notes`, { note: 'x' })).status).toBe(403);
      }
      expect((await app.as('cso').get(`/api/v1/itsm-references/${ref.id}`)).body).toMatchObject({ status: 'LOGGED', notes: [] });
    });
  });

  describe('R-J5 closing references left waiting for the customer', () => {
    const run = () => app.app.get(JobsService).run('itsmWaitingClose');

    it('closes one 5 days after the status became WAITING_FOR_CUSTOMER, not one millisecond before, with a note', async () => {
      const ref = (await created(forwarded(newCustomer()))).itsmReference;
      clock.advance(DAY);
      const waitingSince = clock.now();
      await reportStatus(ref.id, 'WAITING_FOR_CUSTOMER');
      clock.advance(2 * DAY);
      await app.as('cso').post(`/api/v1/itsm-references/${ref.id}/notes`, { note: 'Pelanggan dihubungi, belum menjawab' }); // not a status change
      clock.set(new Date(waitingSince.getTime() + 5 * DAY - 1));
      await run();
      expect((await app.as('cso').get(`/api/v1/itsm-references/${ref.id}`)).body.status).toBe('WAITING_FOR_CUSTOMER');
      clock.set(new Date(waitingSince.getTime() + 5 * DAY));
      expect(await run()).toBeGreaterThanOrEqual(1);
      const closed = (await app.as('cso').get(`/api/v1/itsm-references/${ref.id}`)).body;
      expect(closed).toMatchObject({ status: 'CLOSED', updatedAt: clock.now().toISOString() });
      expect(closed.notes.at(-1)).toEqual({
        note: `Ditutup otomatis: status Waiting For Customer tanpa perubahan selama 5 hari sejak ${waitingSince.toISOString()}`,
        by: 'system',
        at: clock.now().toISOString(),
      });
      clock.advance(DAY);
      await run();
      expect((await app.as('cso').get(`/api/v1/itsm-references/${ref.id}`)).body.notes.filter((n: { by: string }) => n.by === 'system')).toHaveLength(1);
    });

    it('counts the 5 days from the latest status change, and leaves other statuses alone', async () => {
      const waiting = (await created(forwarded(newCustomer()))).itsmReference;
      const active = (await created(forwarded(newCustomer()))).itsmReference;
      await reportStatus(waiting.id, 'WAITING_FOR_CUSTOMER');
      await reportStatus(active.id, 'ACTIVE');
      clock.advance(3 * DAY);
      await reportStatus(waiting.id, 'ACTIVE');
      await reportStatus(waiting.id, 'WAITING_FOR_CUSTOMER');
      clock.advance(3 * DAY);
      await run();
      expect((await app.as('cso').get(`/api/v1/itsm-references/${waiting.id}`)).body.status).toBe('WAITING_FOR_CUSTOMER');
      expect((await app.as('cso').get(`/api/v1/itsm-references/${active.id}`)).body.status).toBe('ACTIVE');
      clock.advance(2 * DAY);
      await run();
      expect((await app.as('cso').get(`/api/v1/itsm-references/${waiting.id}`)).body.status).toBe('CLOSED');
      expect((await app.as('cso').get(`/api/v1/itsm-references/${active.id}`)).body.status).toBe('ACTIVE');
    });

    it('R-A5 a status the desk reports after R-J5 closed the reference is applied and noted; the reopened one is live for R-A3', async () => {
      const customer = newCustomer();
      const ref = (await created(forwarded(customer, 'Token Gagal'))).itsmReference;
      await reportStatus(ref.id, 'WAITING_FOR_CUSTOMER');
      clock.advance(5 * DAY);
      await run();
      expect((await app.as('cso').get(`/api/v1/itsm-references/${ref.id}`)).body.status).toBe('CLOSED');
      const reopened = await reportStatus(ref.id, 'ACTIVE');
      expect(reopened.status).toBe(200);
      expect(reopened.body.status).toBe('ACTIVE');
      expect(reopened.body.notes.at(-1)).toMatchObject({ note: 'Status dari service desk setelah ditutup otomatis (R-J5): ACTIVE' });
      const again = await created(forwarded(customer, 'Token Gagal'));
      expect(again.itsmReference.id).toBe(ref.id); // R-A3: noted on the live reference, no second ITSM ticket
      expect((await reportStatus(ref.id, 'CLOSED')).status).toBe(200);
      expect((await reportStatus(ref.id, 'ACTIVE')).status).toBe(409); // the desk's own CLOSED is final
    });

    it('three instances running the job together close each due reference exactly once, with one note each', async () => {
      const count = 450; // more than two batches of 200
      const since = new Date(T0.getTime() - 6 * DAY);
      const ids = await prisma.$queryRaw<{ id: string }[]>`
        INSERT INTO itsm_references (id, itsm_ticket_id, call_type, category, status, email, customer_name, customer_phone,
          status_changed_at, created_at, updated_at)
        SELECT gen_random_uuid(), 'S' || lpad(i::text, 6, '0'), 'INCIDENT', 'Seeded', 'WAITING_FOR_CUSTOMER', 'seed@example.com',
          'Pelanggan ' || i, '0813' || lpad(i::text, 8, '0'), ${since}, ${since}, ${since}
        FROM generate_series(1, ${count}::int) AS i
        RETURNING id`;
      const others = await Promise.all([1, 2].map(() => TestApp.start({ clock, databaseUrl: app.databaseUrl })));
      let acted: number[];
      try {
        acted = await Promise.all([app, ...others].map((a) => a.app.get(JobsService).run('itsmWaitingClose')));
      } finally {
        await Promise.all(others.map((a) => a.close({ dropDatabase: false })));
      }
      const seeded = ids.map((r) => r.id);
      expect(acted.reduce((n, a) => n + a, 0)).toBeGreaterThanOrEqual(count);
      expect(await prisma.itsmReference.count({ where: { id: { in: seeded }, status: 'CLOSED' } })).toBe(count);
      const [notes] = await prisma.$queryRaw<{ n: number; d: number }[]>`
        SELECT count(*)::int AS n, count(DISTINCT reference_id)::int AS d FROM itsm_reference_notes
        WHERE written_by = 'system' AND reference_id = ANY(${seeded}::uuid[])`;
      expect(notes).toEqual({ n: count, d: count });
    });
  });
});
