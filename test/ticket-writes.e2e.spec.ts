import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { TestApp } from './support/app';
import { createTicket, gangguan, registerUnits } from './support/fixtures';

// Issue 30: a status move and a plain re-report are one statement on the pool, guarded by the version
// their rules were checked against (no interactive transaction); a ticket changed meanwhile falls back to
// the locked transaction. What the guard must keep: of concurrent changes to one ticket each is applied
// once or refused as API.md says, and an Idempotency-Key stored with the statement replays its answer.
describe('ticket writes in one statement (issue 30)', () => {
  const clock = new FakeClock(new Date('2026-11-23T01:00:00Z'));
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  const unit = () => app.as('unit', '542');
  const cso = () => app.as('cso');
  const move = (number: string, body: Record<string, unknown>, headers: Record<string, string> = {}) => unit().post(`/api/v1/tickets/${number}/status`, body, { headers });
  const reReport = (number: string, headers: Record<string, string> = {}) => cso().post(`/api/v1/tickets/${number}/re-reports`, { note: 'Pelanggan melapor kembali' }, { headers });
  const events = async (number: string) => (await unit().get(`/api/v1/tickets/${number}/events`)).body.items as { type: string; toStatus: string | null }[];

  /** The statements `work` sends straight to the pool (not through Prisma's transaction) that update tickets. */
  async function poolUpdates(work: () => Promise<unknown>): Promise<string[]> {
    const pool = app.app.get(PrismaService).pool;
    const spy = jest.spyOn(pool, 'query');
    try {
      await work();
      return spy.mock.calls.map(([config]) => (typeof config === 'string' ? config : (config as { text: string }).text)).filter((text) => /UPDATE tickets/.test(text));
    } finally {
      spy.mockRestore();
    }
  }

  it('a status move is one guarded statement on the pool, with its event', async () => {
    const ticket = await createTicket(app, gangguan());
    const updates = await poolUpdates(async () => expect((await move(ticket.number, { status: 'PENUGASAN', note: 'Petugas ditugaskan' })).status).toBe(200));
    expect(updates).toHaveLength(1);
    expect(updates[0]).toMatch(/version = \$\d+::int/);
    expect((await events(ticket.number)).map((e) => e.type)).toEqual(['CREATED', 'STATUS_CHANGED']);
  });

  it('a re-report R-R1 makes is one guarded statement on the pool', async () => {
    const ticket = await createTicket(app, gangguan());
    const updates = await poolUpdates(async () => expect((await reReport(ticket.number)).status).toBe(201));
    expect(updates).toHaveLength(1);
    expect((await events(ticket.number)).map((e) => e.type)).toEqual(['CREATED', 'UPDATE_LAPOR']);
  });

  it('concurrent moves with one If-Match: exactly one wins, the others 412', async () => {
    const ticket = await createTicket(app, gangguan());
    const answers = await Promise.all(Array.from({ length: 6 }, () => move(ticket.number, { status: 'PENUGASAN' }, { 'if-match': '"1"' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 412, 412, 412, 412, 412]);
    expect(answers.find((a) => a.status === 200)!.body.version).toBe(2);
    expect((await events(ticket.number)).filter((e) => e.type === 'STATUS_CHANGED')).toHaveLength(1);
  });

  it('concurrent moves to one status: exactly one wins, the others 409 (the move is no longer allowed)', async () => {
    const ticket = await createTicket(app, gangguan());
    const answers = await Promise.all(Array.from({ length: 6 }, () => move(ticket.number, { status: 'PENUGASAN' })));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 409, 409, 409, 409, 409]);
    expect((await unit().get(`/api/v1/tickets/${ticket.number}`)).body.version).toBe(2);
  });

  it('concurrent moves along the flow are each applied once, in some order, with versions 2…n+1', async () => {
    const ticket = await createTicket(app, gangguan());
    const answers = await Promise.all(['PENUGASAN', 'PERJALANAN'].map((status) => move(ticket.number, { status })));
    // PERJALANAN is allowed only from PENUGASAN: it wins only when it comes second
    const ok = answers.filter((a) => a.status === 200);
    expect(ok.map((a) => a.body.version).sort()).toEqual(ok.length === 2 ? [2, 3] : [2]);
    const stored = (await unit().get(`/api/v1/tickets/${ticket.number}`)).body;
    expect(stored.version).toBe(1 + ok.length);
    expect((await events(ticket.number)).filter((e) => e.type === 'STATUS_CHANGED')).toHaveLength(ok.length);
  });

  it('concurrent re-reports of one ticket (R-R1) are all applied: no increment lost', async () => {
    const ticket = await createTicket(app, gangguan());
    const answers = await Promise.all(Array.from({ length: 8 }, () => reReport(ticket.number)));
    expect(answers.every((a) => a.status === 201 && a.body.treatment === 'UPDATE_LAPOR')).toBe(true);
    expect(new Set(answers.map((a) => a.body.ticket.version)).size).toBe(8);
    const stored = (await unit().get(`/api/v1/tickets/${ticket.number}`)).body;
    expect(stored.counters.updateCount).toBe(8);
    expect(stored.version).toBe(9);
    expect((await events(ticket.number)).filter((e) => e.type === 'UPDATE_LAPOR')).toHaveLength(8);
  });

  it.each([1, 2, 3, 4, 5])('Idempotency-Key on a move: concurrent and later retries replay the one answer, one event (round %i)', async () => {
    // a retry that falls back to the transaction locks the ticket before it claims the key, as the
    // statement does: in the other order the two waited for each other (PostgreSQL's deadlock, a 500)
    const ticket = await createTicket(app, gangguan());
    const key = { 'idempotency-key': `move-${ticket.number}` };
    const answers = await Promise.all(Array.from({ length: 6 }, () => move(ticket.number, { status: 'PENUGASAN' }, key)));
    const later = await move(ticket.number, { status: 'PENUGASAN' }, key);
    for (const answer of [...answers, later]) {
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual(answers[0].body);
    }
    expect((await events(ticket.number)).filter((e) => e.type === 'STATUS_CHANGED')).toHaveLength(1);
    expect((await move(ticket.number, { status: 'PERJALANAN' }, key)).status).toBe(422); // another body, the same key
  });

  it('Idempotency-Key on a re-report: the stored answer replays as it was sent', async () => {
    const ticket = await createTicket(app, gangguan());
    const key = { 'idempotency-key': `re-${ticket.number}` };
    const first = await reReport(ticket.number, key);
    expect(first.status).toBe(201);
    const again = await reReport(ticket.number, key);
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    expect(again.body).toMatchObject({ treatment: 'UPDATE_LAPOR', escalations: [], order: null });
    expect((await unit().get(`/api/v1/tickets/${ticket.number}`)).body.counters.updateCount).toBe(1);
  });
});
