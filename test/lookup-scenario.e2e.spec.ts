import { FakeClock } from '../src/clock/clock';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';

// Issue 16, tried as a new user would: three tickets for one customer, re-report one, find them all from
// the phone number written differently, preview a re-report, follow the successor as PLN Mobile.
const MINUTE = 60_000;
const T0 = Date.parse('2026-11-23T01:00:00Z');

describe('R-L1…R-L3 as a new agent would use them', () => {
  const clock = new FakeClock(new Date(T0));
  let app: TestApp;
  const customer = { name: 'Ni Luh Sékar', phone: '081234500001', idPel: '580000000001', address: 'Jl. Kenanga 3', province: 'BALI' };
  const made: Record<string, any> = {};
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  const ok = async (answer: Promise<{ status: number; body: any }>, status: number) => {
    const a = await answer;
    if (a.status !== status) throw new Error(`${a.status} ${JSON.stringify(a.body)}`);
    return a.body;
  };
  const cso = () => app.as('cso');

  it('1. three tickets for one customer, one finished and re-reported (R-R3)', async () => {
    made.first = await ok(cso().post('/api/v1/tickets', gangguan({ customer })), 201);
    clock.advance(MINUTE);
    made.second = await ok(cso().post('/api/v1/tickets', keluhan({ customer: { ...customer, phone: '+6281234500001' } })), 201);
    clock.advance(MINUTE);
    made.third = await ok(cso().post('/api/v1/tickets', gangguan({ customer: { ...customer, phone: '6281234500001' }, description: 'Lampu berkedip' })), 201);
    await ok(app.as('unit', '542').post(`/api/v1/tickets/${made.first.number}/status`, { status: 'SELESAI', unitAnswer: 'Sudah normal' }), 200);
    clock.advance(MINUTE);
    const reReport = await ok(cso().post(`/api/v1/tickets/${made.first.number}/re-reports`, { note: 'Padam lagi' }), 201);
    expect(reReport.treatment).toBe('LAPOR_ULANG');
    made.successor = reReport.ticket;
  });

  it('2. finds them all from the phone number written differently', async () => {
    const answer = await ok(cso().get(`/api/v1/customers/history?phone=${encodeURIComponent('+62 812-3450-0001')}`), 200);
    expect(answer.tickets.map((t: any) => t.number)).toEqual([made.successor.number, made.third.number, made.second.number, made.first.number]);
    expect(answer.tickets.find((t: any) => t.number === made.first.number)).toMatchObject({ status: 'DITUTUP', closeReason: 'RE_REPORTED', reReported: true });
    expect(answer.escalations).toEqual([expect.objectContaining({ category: 'LAPOR_ULANG', ticketNumber: made.successor.number })]);
    expect((await ok(cso().get('/api/v1/customers/history?name=sekar'), 200)).tickets).toHaveLength(4);
  });

  it('3. previews a re-report of the open ticket: the treatment and its text, nothing changed', async () => {
    clock.advance(MINUTE);
    const before = await ok(cso().get(`/api/v1/tickets/${made.third.number}`), 200);
    const preview = await ok(cso().get(`/api/v1/tickets/${made.third.number}/re-report-preview`), 200);
    expect(preview).toMatchObject({ treatment: 'UPDATE_LAPOR', escalations: [] });
    expect(preview.ticket).toMatchObject({ number: made.third.number, counters: { updateCount: 1 }, version: before.version + 1 });
    expect(await ok(cso().get(`/api/v1/tickets/${made.third.number}`), 200)).toEqual(before);
  });

  it('4. PLN Mobile sees the customer\'s tickets with their timelines', async () => {
    const answer = await ok(app.as('mobile').get(`/api/v1/customers/tickets?idPel=${customer.idPel}`), 200);
    expect(answer.items.map((i: any) => i.number)).toEqual([made.successor.number, made.third.number, made.second.number, made.first.number]);
    expect(answer.items[3].timeline.map((e: any) => e.status)).toEqual(['LAPOR', 'SELESAI', 'DITUTUP']);
  });

  // R-R10 (successorNumber) is built on another branch: this step fails here only because the Lapor
  // Ulang does not set it yet. Enable it (it.skip → it) once R-R10 is merged.
  it('5. R-R10: PLN Mobile follows the successor from the old number', async () => {
    const old = await ok(app.as('mobile').get(`/api/v1/tickets/${made.first.number}`), 200);
    expect(old.successorNumber).toBe(made.successor.number);
    const answer = await ok(app.as('mobile').get(`/api/v1/customers/tickets?idPel=${customer.idPel}`), 200);
    expect(answer.items.find((i: any) => i.number === made.first.number).successorNumber).toBe(made.successor.number);
    const live = await ok(app.as('mobile').get(`/api/v1/tickets/${old.successorNumber}`), 200);
    expect(live).toMatchObject({ status: 'LAPOR', previousNumber: made.first.number });
  });
});
