import { FakeClock } from '../src/clock/clock';
import { TestApp } from './support/app';
import { keluhan, registerUnits } from './support/fixtures';

// Issue 6 item 1: induction-stove complaints, R-K1…R-K4, over HTTP.
describe('induction-stove complaints', () => {
  const clock = new FakeClock(new Date('2026-11-23T01:00:00Z'));
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  const kompor = (over: Record<string, unknown> = {}) =>
    keluhan({ problemType: 'INFORMASI', subType: 'LAYANAN_KOMPOR_INDUKSI', description: 'Kompor induksi tidak bisa menyala', komporInduksi: { installationPowered: true }, ...over });
  const post = (body: Record<string, unknown>) => app.as('cso').post('/api/v1/tickets', body);

  it('R-K3 R-K4 composes the WO with the ID Pel; SLA 180 minutes', async () => {
    const answer = await post(kompor());
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      kind: 'KELUHAN',
      status: 'LAPOR',
      description: 'LAPORAN MENGENAI KOMPOR INDUKSI DENGAN ID PEL 512345678902. Kompor induksi tidak bisa menyala. IB PELANGGAN TIDAK BERMASALAH, MOHON DI LAKUKAN PENANGANAN.',
      slaDeadline: '2026-11-23T04:00:00.000Z',
    });
  });

  it('R-K3 writes the meter number in place of a missing ID Pel', async () => {
    const answer = await post(kompor({ customer: { name: 'Ani', phone: '081200000001', meterNumber: '14123456789' } }));
    expect(answer.body.description).toMatch(/^LAPORAN MENGENAI KOMPOR INDUKSI DENGAN ID PEL 14123456789\. /);
  });

  it('R-K3 uses the dead-circuit text with payment type, MCB and visit date', async () => {
    const answer = await post(kompor({ komporInduksi: { installationPowered: false, paymentType: 'PASCABAYAR', mcbPln: 'OFF', preferredVisitDate: '2026-11-25' } }));
    expect(answer.body.description).toBe(
      'Gangguan IML, jalur khusus memasak padam, mcb dalam/skring turun. Listrik Paskabayar, MCB PLN (OFF), waktu kunjungan yang diinginkan tgl 25/11/26, Pelanggan adalah KPM program Konversi kompor LPG ke kompor Induksi',
    );
  });

  it.each([
    ['komporInduksi missing', { komporInduksi: undefined }, 'komporInduksi'],
    ['dead circuit without payment type', { komporInduksi: { installationPowered: false, mcbPln: 'ON', preferredVisitDate: '2026-11-25' } }, 'komporInduksi.paymentType'],
    ['a visit date that does not exist', { komporInduksi: { installationPowered: false, paymentType: 'PRABAYAR', mcbPln: 'ON', preferredVisitDate: '2026-02-30' } }, 'komporInduksi.preferredVisitDate'],
    ['payment type not exact', { komporInduksi: { installationPowered: false, paymentType: 'prabayar', mcbPln: 'ON', preferredVisitDate: '2026-11-25' } }, 'komporInduksi.paymentType'],
    ['R-K1 another problem type', { problemType: 'TAGIHAN' }, 'problemType'],
    ['R-K2 no ID Pel, no meter, no callbackAt', { customer: { name: 'Ani', phone: '081200000001' } }, 'callbackAt'],
    // API.md Create: callbackAt only for R-K2's case (stop 54 audit)
    ['callbackAt with an ID Pel (R-K3, no callback)', { callbackAt: '2026-11-23T15:00:00+07:00' }, 'callbackAt'],
  ])('400 for %s', async (_, over, field) => {
    const answer = await post(kompor(over));
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].field).toBe(field);
  });

  it('R-K2 without ID Pel or meter: ISSUE_CLOSED with the fixed WO, callbackAt kept, and a CALLBACK_PELANGGAN escalation', async () => {
    const answer = await post(kompor({ customer: { name: 'Ani', phone: '081200000001' }, callbackAt: '2026-11-23T15:00:00+07:00' }));
    expect(answer.status).toBe(201);
    expect(answer.body).toMatchObject({
      number: expect.stringMatching(/^K5422026\d{6}$/),
      status: 'ISSUE_CLOSED',
      description: 'Laporan mengenai Kompor Induksi Pelanggan belum melengkapi ID PEL',
      callbackAt: '2026-11-23T08:00:00.000Z',
    });
    const queue = await app.as('backoffice').get('/api/v1/escalations?category=CALLBACK_PELANGGAN');
    expect(queue.body.items).toEqual([expect.objectContaining({ ticketNumber: answer.body.number, callbackAt: '2026-11-23T08:00:00.000Z', status: 'OPEN' })]);
  });

  it('R-K4 6-hour confirmation window', async () => {
    const t = (await post(kompor())).body;
    const done = await app.as('unit', '542').post(`/api/v1/tickets/${t.number}/status`, { status: 'SELESAI', unitAnswer: 'Sudah diperbaiki' });
    expect(done.body.confirmationDeadline).toBe('2026-11-23T07:00:00.000Z');
  });

  it('refuses komporInduksi on another classification', async () => {
    const answer = await post(keluhan({ komporInduksi: { installationPowered: true } }));
    expect(answer.status).toBe(400);
    expect(answer.body.errors[0].field).toBe('komporInduksi');
  });
});
