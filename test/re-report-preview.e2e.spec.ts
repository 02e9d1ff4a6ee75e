import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';

// R-L2: the preview of a re-report agrees with the re-report itself on every row of the re-report rule's
// table of cases (src/intake/rules/re-report.rule.spec.ts: R-R1…R-R8, R-R4's exceptions, R-I4, the
// precedence table), and changes nothing.
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const T0 = Date.parse('2026-11-23T01:00:00Z');

type Role = 'cso' | 'mobile';
interface Case {
  /** Makes the previous ticket; returns its number. */
  setup: () => Promise<string>;
  /** When the re-report is made, after T0. */
  after: number;
  query?: { customerDisputesUnitAnswer?: boolean; unitAnswerUnclear?: boolean };
  role?: Role;
  /** The treatment the re-report rule gives this row (null: refused, e.g. 404). */
  treatment: string | null;
}

describe('R-L2 re-report preview', () => {
  const clock = new FakeClock(new Date(T0));
  let app: TestApp;
  let prisma: PrismaService;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    prisma = app.app.get(PrismaService);
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  const ok = async (answer: Promise<{ status: number; body: any }>, status: number) => {
    const a = await answer;
    if (a.status !== status) throw new Error(`${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const create = (body: Record<string, unknown>) => ok(app.as('cso').post('/api/v1/tickets', body), 201);
  const move = (number: string, body: Record<string, unknown>) => ok(app.as('unit', '542').post(`/api/v1/tickets/${number}/status`, body), 200);
  const finish = (number: string, unitAnswer = 'Sudah normal') => move(number, { status: 'SELESAI', unitAnswer });
  const reReport = (number: string) => ok(app.as('cso').post(`/api/v1/tickets/${number}/re-reports`, {}), 201);
  const open = async (over: Record<string, unknown> = {}) => (await create(gangguan(over))).number as string;
  const finished = async (over: Record<string, unknown> = {}) => {
    const number = await open(over);
    await finish(number);
    return number;
  };
  async function chainOfThree(answers: [string, string, string] = ['Sudah normal', ' sudah NORMAL', 'SUDAH NORMAL']): Promise<string> {
    const a = await open();
    await finish(a, answers[0]);
    const b = (await reReport(a)).ticket.number;
    await finish(b, answers[1]);
    const c = (await reReport(b)).ticket.number;
    await finish(c, answers[2]);
    return c;
  }
  const imlForwarded = async () =>
    (
      await create(
        gangguan({
          problemType: 'TETANGGA_TIDAK_TURUT_PADAM',
          woType: 'IML_LISTRIQU',
          iml: { willingToPay: true, preferredVisitDate: '2026-11-25' },
        }),
      )
    ).number as string;

  const CASES: [string, Case][] = [
    ['R-R1 open before the deadline', { setup: () => open(), after: HOUR, treatment: 'UPDATE_LAPOR' }],
    ['R-R1 urgent: one URGENT escalation (R-R8)', { setup: () => open({ urgent: true }), after: HOUR, treatment: 'UPDATE_LAPOR' }],
    ['R-R1 Keluhan DIPROSES', { setup: async () => { const n = (await create(keluhan())).number; await move(n, { status: 'DIPROSES' }); return n; }, after: HOUR, treatment: 'UPDATE_LAPOR' }],
    ['R-R2 open at the deadline', { setup: () => open(), after: 180 * MINUTE, treatment: 'LAPOR_MELEBIHI_SLA' }],
    ['R-R2 urgent: URGENT instead (R-R8)', { setup: () => open({ urgent: true }), after: 4 * HOUR, treatment: 'LAPOR_MELEBIHI_SLA' }],
    ['R-R2 PENGERJAAN after the deadline', { setup: async () => { const n = await open(); await move(n, { status: 'PENGERJAAN' }); return n; }, after: 5 * HOUR, treatment: 'LAPOR_MELEBIHI_SLA' }],
    ['R-R3 SELESAI inside the window', { setup: () => finished(), after: 2 * HOUR, treatment: 'LAPOR_ULANG' }],
    ['R-R3 just before the window ends', { setup: () => finished(), after: 24 * HOUR - 1, treatment: 'LAPOR_ULANG' }],
    ['R-R3 urgent (R-R8)', { setup: () => finished({ urgent: true }), after: 2 * HOUR, treatment: 'LAPOR_ULANG' }],
    ['R-R3 by PLN Mobile (channel PLN_MOBILE)', { setup: () => finished(), after: 2 * HOUR, role: 'mobile', treatment: 'LAPOR_ULANG' }],
    ['R-R4 three identical answers', { setup: () => chainOfThree(), after: 2 * HOUR, treatment: 'ISSUE_CLOSED' }],
    ['R-R4 different answers → R-R3', { setup: () => chainOfThree(['Sudah normal', 'Sudah normal', 'Kabel diganti']), after: 2 * HOUR, treatment: 'LAPOR_ULANG' }],
    ['R-R4 disputed → as if R-R4 did not apply', { setup: () => chainOfThree(), after: 2 * HOUR, query: { customerDisputesUnitAnswer: true }, treatment: 'LAPOR_ULANG' }],
    ['R-R4 unclear inside the window', { setup: () => chainOfThree(), after: 2 * HOUR, query: { unitAnswerUnclear: true }, treatment: 'LAPORAN_BARU' }],
    ['R-R4 unclear after the window', { setup: () => chainOfThree(), after: 30 * HOUR, query: { unitAnswerUnclear: true }, treatment: 'LAPORAN_BARU' }],
    ['R-R4 dispute wins over unclear', { setup: () => chainOfThree(), after: 2 * HOUR, query: { customerDisputesUnitAnswer: true, unitAnswerUnclear: true }, treatment: 'LAPOR_ULANG' }],
    ['R-R5 NYALA', { setup: async () => { const n = await open(); await move(n, { status: 'NYALA' }); return n; }, after: HOUR, treatment: 'LAPORAN_BARU' }],
    ['R-R5 NYALA_SEMENTARA, urgent', { setup: async () => { const n = await open({ urgent: true }); await move(n, { status: 'NYALA_SEMENTARA' }); return n; }, after: HOUR, treatment: 'LAPORAN_BARU' }],
    ['R-R6 SELESAI after the window', { setup: () => finished(), after: 25 * HOUR, treatment: 'LAPORAN_BARU' }],
    ['R-R6 DITUTUP / NO_CONFIRMATION', {
      setup: async () => {
        const n = await finished();
        await prisma.ticket.update({ where: { number: n }, data: { status: 'DITUTUP', closeReason: 'NO_CONFIRMATION', closedAt: new Date(T0 + 24 * HOUR) } });
        return n;
      },
      after: 26 * HOUR,
      treatment: 'LAPORAN_BARU',
    }],
    ['R-I4 forwarded Gangguan, order alive', { setup: imlForwarded, after: HOUR, treatment: 'LAPOR_ULANG_LISTRIQU' }],
    ['R-R7 BATAL', { setup: async () => { const n = await open(); await move(n, { status: 'BATAL', reason: 'Salah input' }); return n; }, after: HOUR, treatment: 'LAPORAN_BARU' }],
    ['R-R7 DITUTUP confirmed', {
      setup: async () => {
        const n = await finished();
        await ok(app.as('cso').post(`/api/v1/tickets/${n}/confirmation`, { resolved: true }), 200);
        return n;
      },
      after: HOUR,
      treatment: 'LAPORAN_BARU',
    }],
    // R-R7a (another change) may make this 409 not-repeatable: the preview must answer as the re-report does.
    ['R-R7a issue-closed at the contact centre', { setup: async () => (await create(keluhan({ issueClosed: true }))).number, after: HOUR, treatment: null }],
    ['a re-reported ticket: the newest of its Lapor Ulang chain', {
      setup: async () => {
        const n = await finished();
        await reReport(n);
        return n;
      },
      after: HOUR,
      treatment: 'UPDATE_LAPOR',
    }],
    ['an unknown ticket → the same 404', { setup: async () => 'G5422026999999', after: HOUR, treatment: null }],
  ];

  const search = (query: Case['query'], reportedAt: string, note: string) =>
    new URLSearchParams({ note, reportedAt, ...Object.fromEntries(Object.entries(query ?? {}).map(([k, v]) => [k, String(v)])) }).toString();

  it.each(CASES)('%s: the preview is the re-report, and changes nothing', async (_label, c) => {
    clock.set(new Date(T0));
    const number = await c.setup();
    const at = new Date(T0 + c.after);
    clock.set(at);
    const reportedAt = at.toISOString();
    const caller = app.as(c.role ?? 'cso');
    const before = number.startsWith('G5422026999') ? null : await prisma.ticket.findUnique({ where: { number } });
    const counts = async () => [await prisma.ticket.count(), await prisma.ticketEvent.count(), await prisma.escalation.count(), await prisma.listriquOrder.count()];
    const countsBefore = await counts();

    // API.md: the preview takes the re-report's fields, the agent's note included
    const note = `Pelanggan melapor lagi (${_label})`;
    const preview = await caller.get(`/api/v1/tickets/${number}/re-report-preview?${search(c.query, reportedAt, note)}`);
    expect(await counts()).toEqual(countsBefore);
    if (before) expect(await prisma.ticket.findUnique({ where: { number } })).toEqual(before);

    const done = await caller.post(`/api/v1/tickets/${number}/re-reports`, { note, reportedAt, ...c.query });
    if (done.status !== 201) {
      expect(preview.status).toBe(done.status);
      // issue 13: a problem's instance is the path it answered, the rest is the re-report's own problem
      expect(preview.body).toEqual({ ...done.body, instance: `/api/v1/tickets/${number}/re-report-preview` });
      if (c.treatment !== null) throw new Error(`expected ${c.treatment}, the re-report answered ${done.status} ${JSON.stringify(done.body)}`);
      return;
    }
    expect(preview.status).toBe(200);
    if (c.treatment !== null) expect(done.body.treatment).toBe(c.treatment);
    const isNew = done.body.ticket.number !== done.body.previous.number;
    // field by field, so a difference names the field
    const stored = isNew ? { ...done.body.ticket, number: null } : done.body.ticket;
    for (const field of new Set([...Object.keys(stored), ...Object.keys(preview.body.ticket)])) expect([field, preview.body.ticket[field]]).toEqual([field, stored[field]]);
    expect(preview.body).toEqual({
      treatment: done.body.treatment,
      ticket: isNew ? { ...done.body.ticket, number: null } : done.body.ticket,
      escalations: done.body.escalations.map((e: { category: string; note: string }) => ({ category: e.category, note: e.note })),
    });
  });

  it('covers every treatment of §4', () => {
    const treatments = new Set(CASES.map(([, c]) => c.treatment));
    for (const t of ['UPDATE_LAPOR', 'LAPOR_MELEBIHI_SLA', 'LAPOR_ULANG', 'ISSUE_CLOSED', 'LAPORAN_BARU', 'LAPOR_ULANG_LISTRIQU']) expect(treatments).toContain(t);
  });

  describe('its parameters and roles', () => {
    let number: string;
    beforeAll(async () => {
      clock.set(new Date(T0));
      number = await open();
    });

    it.each([
      ['reportedAt=yesterday', 'reportedAt', 'reportedAt=yesterday'],
      ['reportedAt more than 7 days back (API.md)', 'reportedAt', 'reportedAt=2026-11-10T00:00:00Z'],
      ['customerDisputesUnitAnswer=yes', 'customerDisputesUnitAnswer', 'customerDisputesUnitAnswer=yes'],
      ['unitAnswerUnclear=1', 'unitAnswerUnclear', 'unitAnswerUnclear=1'],
      ['a note over the re-report’s 4,000 characters', 'note', `note=${'x'.repeat(4001)}`],
    ])('%s → 400 naming %s', async (_label, field, query) => {
      const answer = await app.as('cso').get(`/api/v1/tickets/${number}/re-report-preview?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.errors[0].field).toBe(field);
    });

    it.each(['unit', 'backoffice', 'admin', 'listriqu', 'itsm'] as const)('%s → 403', async (role) => {
      expect((await app.as(role).get(`/api/v1/tickets/${number}/re-report-preview`)).status).toBe(403);
    });

    it('shows the agent’s note where the re-report stores it (R-R1 update note)', async () => {
      clock.set(new Date(T0 + HOUR));
      const note = 'Pelanggan menelepon lagi, rumah masih gelap';
      const preview = await app.as('cso').get(`/api/v1/tickets/${number}/re-report-preview?note=${encodeURIComponent(note)}`);
      expect(preview.status).toBe(200);
      const done = await app.as('cso').post(`/api/v1/tickets/${number}/re-reports`, { note });
      expect(done.body.treatment).toBe('UPDATE_LAPOR');
      expect(preview.body.ticket).toEqual(done.body.ticket);
    });

    it('defaults reportedAt to now', async () => {
      clock.set(new Date(T0 + 4 * HOUR));
      expect((await app.as('mobile').get(`/api/v1/tickets/${number}/re-report-preview`)).body.treatment).toBe('LAPOR_MELEBIHI_SLA');
    });
  });
});
