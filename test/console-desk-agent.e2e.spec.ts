import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import type { DevIdentity } from '../src/dev-identity/provider';
import { TestApp } from './support/app';
import { a11yFindings, assertConsoleBuilt, controlsOutOfTabReach, launchBrowser, screenshot } from './support/browser';
import { createTicket, gangguan, keluhan, registerUnits } from './support/fixtures';
import { openSignedIn, startIdentity, type Who } from './support/identity';

// Issue 29: the agent desk and the back office as an agent works them for eight hours — in chromium,
// signed in at the real OIDC provider, against the real service and database. Each task counts its
// steps (a field filled, a click or a key press that acts) and fails when it needs more than the
// issue allows; axe must find nothing at any impact and must decide every colour contrast; the pages
// must log no error.
let app: TestApp;
let browser: Browser;
let identity: DevIdentity;
const contexts: BrowserContext[] = [];
const errors: string[] = [];

beforeAll(async () => {
  assertConsoleBuilt();
  app = await TestApp.start();
  await registerUnits(app, '542', '543');
  identity = await startIdentity(app);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await identity?.close();
  await app?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  expect(errors.splice(0)).toEqual([]); // no console error, no uncaught exception on any page of the test
});

/** A console page at `path`, signed in as `who` on the provider's own page; its errors are collected. */
const open = (path: string, who: Who): Promise<Page> => openSignedIn(browser, contexts, app, identity, path, who, { errors, height: 1000 });

const measured: string[] = [];
afterAll(() => process.stdout.write(`steps per task (issue 29):\n${measured.map((m) => `  ${m}`).join('\n')}\n`));

/** The steps of one task: every field filled and every click or key press that acts counts one. */
class Steps {
  count = 0;
  constructor(private readonly page: Page) {}
  /** The count, recorded for the summary printed after the file. */
  done(task: string, limit: number): number {
    measured.push(`${task}: ${this.count} (≤ ${limit})`);
    return this.count;
  }
  async fill(field: Locator, value: string) {
    await field.fill(value);
    this.count += 1;
  }
  async select(field: Locator, value: string) {
    await field.selectOption(value);
    this.count += 1;
  }
  async click(target: Locator) {
    await target.click();
    this.count += 1;
  }
  /** Text typed into the focused field: one field filled. */
  async type(text: string) {
    await this.page.keyboard.type(text);
    this.count += 1;
  }
  async press(keys: string) {
    await this.page.keyboard.press(keys);
    this.count += 1;
  }
}

const csoWho: Who = { role: 'cso', sub: 'cso-desk', name: 'Citra Agen' };
const customer = (n: string, name: string) => ({ name, phone: `08125555${n}`, idPel: `51234560${n}`, address: `Jl. Kenanga ${n}`, province: 'JAWA BARAT' });
const formOf = (page: Page) => page.getByRole('form', { name: 'Buat laporan' });
const values = async (page: Page) => {
  const form = formOf(page);
  return {
    unit: await form.getByLabel('Unit', { exact: true }).inputValue(),
    name: await form.getByLabel('Nama', { exact: true }).inputValue(),
    phone: await form.getByLabel('Telepon', { exact: true }).inputValue(),
    idPel: await form.getByLabel('ID Pel', { exact: true }).inputValue(),
    address: await form.getByLabel('Alamat', { exact: true }).inputValue(),
    province: await form.getByLabel('Provinsi', { exact: true }).inputValue(),
  };
};

describe('agent desk: the returning caller (R-L1, R-L2, R-R1…R-R3)', () => {
  it('R-R1: an open Gangguan before its SLA → Update Lapor, by keyboard alone, in ≤ 6 steps; the found customer fills the form, no new ticket is offered', async () => {
    const c = customer('0001', 'Wati Lestari');
    const previous = await createTicket(app, gangguan({ customer: c }));
    const page = await open('/agen', csoWho);
    await page.getByRole('heading', { name: 'Meja Agen' }).waitFor();
    // the shortcuts are listed on screen
    const legend = await page.getByRole('complementary', { name: 'Pintasan papan ketik' }).textContent();
    for (const key of ['Alt+Shift+C', 'Alt+Shift+S', 'Alt+Shift+P', 'Alt+Shift+E', 'Ctrl+Enter']) expect(legend).toContain(key);
    expect(await a11yFindings(page)).toEqual([]);

    const steps = new Steps(page);
    await steps.press('Alt+Shift+C');
    expect(await page.evaluate<string | null | undefined>(`document.activeElement?.getAttribute('type')`)).toBe('search');
    await steps.type('0812-5555-0001');
    await steps.press('Enter');
    const panel = page.getByTestId('pelapor-berulang');
    await panel.getByTestId('perlakuan-berulang').filter({ hasText: 'Update Lapor' }).waitFor();
    expect(await panel.textContent()).toContain(previous.number);
    expect(await values(page)).toEqual({ unit: '542', name: c.name, phone: c.phone, idPel: c.idPel, address: c.address, province: 'JAWA BARAT' });
    // R-R1 makes no new ticket: the plain send waits for the treatment
    expect(await formOf(page).getByRole('button', { name: 'Kirim laporan' }).isDisabled()).toBe(true);
    expect(await a11yFindings(page)).toEqual([]);
    await screenshot(page, 'agent-desk');

    await steps.press('Alt+Shift+U');
    await steps.type('Masih padam, mohon dipercepat');
    await steps.press('Alt+Shift+P');
    const number = page.getByTestId('nomor-perlakuan');
    await number.waitFor();
    expect(await number.textContent()).toBe(previous.number);
    expect(steps.done('R-R1 returning caller → Update Lapor (keyboard)', 6)).toBeLessThanOrEqual(6);

    const stored = (await app.as('cso').get(`/api/v1/tickets/${previous.number}`)).body;
    expect(stored).toMatchObject({ status: 'LAPOR', counters: { updateCount: 1 } });
    const events = (await app.as('cso').get(`/api/v1/tickets/${previous.number}/events`)).body.items;
    expect(events).toContainEqual(expect.objectContaining({ type: 'UPDATE_LAPOR', note: expect.stringContaining('Masih padam, mohon dipercepat') }));
    // the form is empty for the next caller, and the panel has gone with the customer
    expect((await values(page)).name).toBe('');
    expect(await panel.count()).toBe(0);
    expect(await a11yFindings(page)).toEqual([]);
  });

  it('R-R2: an open Gangguan past its SLA deadline → Lapor Melebihi SLA, escalated, in ≤ 6 steps', async () => {
    const c = customer('0002', 'Bambang Irawan');
    const reportedAt = new Date(Date.now() - 4 * 3600_000).toISOString(); // SLA 180 minutes (GANGGUAN.*.*)
    const previous = await createTicket(app, gangguan({ customer: c, reportedAt }));
    const page = await open('/agen', csoWho);
    const steps = new Steps(page);
    await steps.fill(page.getByLabel('Kata kunci'), '+62 812 5555 0002');
    await steps.click(page.getByRole('button', { name: 'Cari', exact: true }));
    const panel = page.getByTestId('pelapor-berulang');
    await panel.getByTestId('perlakuan-berulang').filter({ hasText: 'Lapor Melebihi SLA' }).waitFor();
    expect(await panel.textContent()).toContain('melebihi SLA');
    expect(await a11yFindings(page)).toEqual([]);
    await steps.click(panel.getByRole('button', { name: `Proses sebagai Lapor Melebihi SLA · ${previous.number}` }));
    await page.getByTestId('nomor-perlakuan').filter({ hasText: previous.number }).waitFor();
    expect(steps.done('R-R2 returning caller → Lapor Melebihi SLA', 6)).toBeLessThanOrEqual(6);
    expect((await app.as('cso').get(`/api/v1/tickets/${previous.number}`)).body.counters).toMatchObject({ jumlahLaporMelebihiSla: 1 });
    const queued = (await app.as('backoffice').get('/api/v1/escalations?status=OPEN&category=LAPORAN_MELEBIHI_SLA')).body.items;
    expect(queued.map((e: { ticketNumber: string }) => e.ticketNumber)).toContain(previous.number);
    expect(await a11yFindings(page)).toEqual([]);
  });

  it('R-R3: a Gangguan Selesai inside its confirmation window → Lapor Ulang (a new linked ticket), in ≤ 6 steps', async () => {
    const c = customer('0003', 'Sri Rahayu');
    const previous = await createTicket(app, gangguan({ customer: c }));
    expect((await app.as('unit', '542').post(`/api/v1/tickets/${previous.number}/status`, { status: 'SELESAI', unitAnswer: 'Sekring diganti' })).status).toBe(200);
    const page = await open('/agen', csoWho);
    const steps = new Steps(page);
    await steps.select(page.getByLabel('Cari menurut'), 'idPel');
    await steps.fill(page.getByLabel('Kata kunci'), c.idPel);
    await steps.press('Enter');
    await page.getByTestId('perlakuan-berulang').filter({ hasText: 'Lapor Ulang' }).waitFor();
    expect(await formOf(page).getByRole('button', { name: 'Kirim laporan' }).isDisabled()).toBe(true);
    await steps.press('Alt+Shift+P');
    const made = (await page.getByTestId('nomor-perlakuan').textContent())?.trim() ?? '';
    expect(steps.done('R-R3 returning caller → Lapor Ulang', 6)).toBeLessThanOrEqual(6);
    expect(made).toMatch(/^G542\d{10}$/);
    expect(made).not.toBe(previous.number);
    expect((await app.as('cso').get(`/api/v1/tickets/${made}`)).body).toMatchObject({ previousNumber: previous.number, status: 'LAPOR', customer: { name: c.name } });
    expect((await app.as('cso').get(`/api/v1/tickets/${previous.number}`)).body).toMatchObject({ status: 'DITUTUP', closeReason: 'RE_REPORTED' });
  });

  it('a caller whose earlier Gangguan was cancelled gets a new ticket filled from the search in ≤ 6 steps; the form is cleared and names the number', async () => {
    const c = customer('0004', 'Agus Salim');
    const previous = await createTicket(app, gangguan({ customer: c, unitCode: '543' }));
    expect((await app.as('unit', '543').post(`/api/v1/tickets/${previous.number}/status`, { status: 'BATAL', reason: 'Salah unit' })).status).toBe(200);
    const page = await open('/agen', csoWho);
    // problem types are a choice of labelled values; no label shows a field name
    const problem = formOf(page).getByLabel('Jenis masalah');
    expect(await problem.evaluate((el) => el.tagName)).toBe('SELECT');
    expect(await problem.locator('option').allTextContents()).toContain('Padam satu rumah');
    expect((await page.locator('label, legend').allTextContents()).filter((t) => /\([a-z]+[A-Z]\w*\)|[A-Z]{3,}_[A-Z]/.test(t))).toEqual([]);

    const steps = new Steps(page);
    await steps.fill(page.getByLabel('Kata kunci'), c.phone);
    await steps.press('Enter');
    await page.getByText('· dipakai di formulir').waitFor();
    expect(await values(page)).toEqual({ unit: '543', name: c.name, phone: c.phone, idPel: c.idPel, address: c.address, province: 'JAWA BARAT' });
    expect(await page.getByTestId('pelapor-berulang').count()).toBe(0); // nothing in hand: a new ticket is the way
    await steps.select(formOf(page).getByLabel('Jenis masalah'), 'TEGANGAN_TIDAK_NORMAL');
    await steps.fill(page.getByLabel('Uraian (kata-kata pelanggan)'), 'Lampu redup sejak sore');
    await steps.press('Control+Enter');
    const number = (await page.getByTestId('nomor-laporan').textContent())?.trim() ?? '';
    expect(steps.done('returning caller, earlier ticket Batal → new ticket', 6)).toBeLessThanOrEqual(6);
    expect(number).toMatch(/^G543\d{10}$/);
    expect(await page.getByRole('status').filter({ hasText: number }).textContent()).toContain('Laporan dibuat');
    expect(await values(page)).toEqual({ unit: '', name: '', phone: '', idPel: '', address: '', province: '' });
    expect(await page.getByLabel('Uraian (kata-kata pelanggan)').inputValue()).toBe('');
    expect((await app.as('cso').get(`/api/v1/tickets/${number}`)).body).toMatchObject({
      unitCode: '543',
      problemType: 'TEGANGAN_TIDAK_NORMAL',
      customer: { name: c.name, phone: c.phone, idPel: c.idPel, address: c.address, province: 'JAWA BARAT' },
    });
    expect(await a11yFindings(page)).toEqual([]);
  });

  it('an open Keluhan holds back a second Keluhan, not a Gangguan', async () => {
    const c = customer('0005', 'Rudi Hartono');
    await createTicket(app, keluhan({ customer: c }));
    const page = await open('/agen', csoWho);
    await page.getByLabel('Kata kunci').fill(c.phone);
    await page.getByLabel('Kata kunci').press('Enter');
    await page.getByText('· dipakai di formulir').waitFor();
    expect(await page.getByTestId('pelapor-berulang').count()).toBe(0);
    expect(await formOf(page).getByRole('button', { name: 'Kirim laporan' }).isEnabled()).toBe(true);
    await page.getByRole('radio', { name: 'Keluhan' }).check();
    await page.getByTestId('perlakuan-berulang').filter({ hasText: 'Update Lapor' }).waitFor();
    expect(await formOf(page).getByRole('button', { name: 'Kirim laporan' }).isDisabled()).toBe(true);
    expect(await formOf(page).getByLabel('Jenis masalah').locator('option').allTextContents()).toEqual(['Informasi', 'Tagihan', 'Lain-lain']);
  });
});

describe('agent desk: several customers found', () => {
  it('fills nothing by itself; the agent chooses one and the form takes that one’s data', async () => {
    await createTicket(app, gangguan({ customer: customer('0009', 'Budi Santoso') }));
    await createTicket(app, gangguan({ customer: { ...customer('0010', 'Ani Santoso'), address: 'Jl. Melati 10' }, unitCode: '543' }));
    const page = await open('/agen', csoWho);
    await page.getByLabel('Cari menurut').selectOption('name');
    await page.getByLabel('Kata kunci').fill('santoso');
    await page.getByLabel('Kata kunci').press('Enter');
    const choose = page.getByRole('button', { name: 'Pakai data Ani Santoso' });
    await choose.waitFor();
    expect((await values(page)).name).toBe('');
    await choose.click();
    expect(await values(page)).toEqual({ unit: '543', name: 'Ani Santoso', phone: '081255550010', idPel: '512345600010', address: 'Jl. Melati 10', province: 'JAWA BARAT' });
    await page.getByTestId('perlakuan-berulang').filter({ hasText: 'Update Lapor' }).waitFor(); // her own open Gangguan only
    expect(await page.getByTestId('pelapor-berulang').textContent()).toContain('unit 543');
    expect(await a11yFindings(page)).toEqual([]);
  });
});

describe('agent desk: escalations (R-E1) and the keyboard', () => {
  it('escalates a ticket of the caller’s history as Urgent, then a request callback without a ticket that carries the caller’s name and phone', async () => {
    const c = customer('0006', 'Dewi Sartika');
    const ticket = await createTicket(app, gangguan({ customer: c }));
    const page = await open('/agen', csoWho);
    await page.getByLabel('Kata kunci').fill(c.phone);
    await page.getByLabel('Kata kunci').press('Enter');
    await page.getByRole('button', { name: `Eskalasi ${ticket.number}` }).click();
    const form = page.getByRole('form', { name: 'Eskalasi ke back office' });
    await page.waitForFunction(`document.activeElement?.closest('#form-eskalasi') && document.activeElement.tagName === 'TEXTAREA'`);
    expect(await form.getByLabel('Nomor laporan yang dieskalasi').inputValue()).toBe(ticket.number);
    await page.keyboard.type('Pelanggan lansia, alat medis di rumah'); // the note has the focus
    await page.keyboard.press('Alt+Shift+E');
    await page.keyboard.press('ArrowDown'); // Request Callback → Urgent
    expect(await form.getByLabel('Kategori eskalasi').inputValue()).toBe('URGENT');
    await page.keyboard.press('Control+Enter');
    await page.getByTestId('eskalasi-dibuat').filter({ hasText: `Eskalasi Urgent dibuat untuk ${ticket.number}` }).waitFor();
    expect(await a11yFindings(page)).toEqual([]);
    expect(await controlsOutOfTabReach(page)).toEqual([]);

    await form.getByLabel('Nomor laporan yang dieskalasi').fill('');
    await form.getByLabel('Kategori eskalasi').selectOption('REQUEST_CALLBACK');
    await form.getByLabel('Isi eskalasi untuk back office').fill('Ingin membatalkan pemasangan');
    const wib = new Date(Date.now() + 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 16); // tomorrow, as a WIB wall clock
    await form.getByLabel('Waktu hubungi kembali (WIB, boleh kosong)').fill(wib);
    await form.getByRole('button', { name: 'Kirim eskalasi' }).click();
    await page.getByTestId('eskalasi-dibuat').filter({ hasText: 'Eskalasi Request Callback dibuat' }).waitFor();

    const open_ = (await app.as('backoffice').get('/api/v1/escalations?status=OPEN&limit=200')).body.items as { category: string; ticketNumber: string | null; note: string; callbackAt: string | null }[];
    expect(open_).toContainEqual(expect.objectContaining({ category: 'URGENT', ticketNumber: ticket.number, note: 'Pelanggan lansia, alat medis di rumah' }));
    expect(open_).toContainEqual(
      expect.objectContaining({ category: 'REQUEST_CALLBACK', ticketNumber: null, note: `Pelanggan ${c.name}, telepon ${c.phone}. Ingin membatalkan pemasangan`, callbackAt: new Date(`${wib}:00+07:00`).toISOString() }),
    );
  });

  it('takes a callback time on the clock of the ticket’s unit (WITA for a unit in Makassar), named in the label and the answer', async () => {
    expect((await app.as('admin').put('/api/v1/units/746', { name: 'ULP Makassar Kota', timeZone: 'Asia/Makassar' })).status).toBe(200);
    const ticket = await createTicket(app, gangguan({ unitCode: '746', customer: customer('0010', 'Andi Pettarani') }));
    const page = await open('/agen', csoWho);
    const form = page.getByRole('form', { name: 'Eskalasi ke back office' });
    await form.getByLabel('Waktu hubungi kembali (WIB, boleh kosong)').waitFor(); // no ticket named: the contact centre's clock
    await form.getByLabel('Nomor laporan yang dieskalasi').fill(ticket.number);
    await form.getByLabel('Isi eskalasi untuk back office').fill('Minta dihubungi sore hari');
    const wita = new Date(Date.now() + 86_400_000 + 8 * 3_600_000).toISOString().slice(0, 16); // tomorrow, as a WITA wall clock
    await form.getByLabel('Waktu hubungi kembali (WITA, boleh kosong)').fill(wita);
    await form.getByRole('button', { name: 'Kirim eskalasi' }).click();
    await page.getByTestId('eskalasi-dibuat').filter({ hasText: `untuk ${ticket.number}` }).filter({ hasText: 'WITA' }).waitFor();
    const open_ = (await app.as('backoffice').get('/api/v1/escalations?status=OPEN&limit=200')).body.items as { ticketNumber: string | null; callbackAt: string | null }[];
    expect(open_).toContainEqual(expect.objectContaining({ ticketNumber: ticket.number, callbackAt: new Date(`${wita}:00+08:00`).toISOString() }));
    expect(await a11yFindings(page)).toEqual([]);
  });

  it('reaches every control of the desk with Tab while a returning caller is shown', async () => {
    const c = customer('0007', 'Yanti Kusuma');
    await createTicket(app, gangguan({ customer: c }));
    const page = await open('/agen', csoWho);
    await page.getByLabel('Kata kunci').fill(c.phone);
    await page.getByLabel('Kata kunci').press('Enter');
    await page.getByTestId('perlakuan-berulang').waitFor();
    expect(await controlsOutOfTabReach(page)).toEqual([]);
  });
});

describe('back office (R-E2, R-E4)', () => {
  it('shows the open queue by category, oldest first, before claiming; claim → done in ≤ 3 steps with the customer’s name and phone on the item', async () => {
    const c = customer('0008', 'Hendra Gunawan');
    const ticket = await createTicket(app, gangguan({ customer: c }));
    expect((await app.as('cso').post('/api/v1/escalations', { category: 'URGENT', ticketNumber: ticket.number, note: 'Pasien cuci darah di rumah' })).status).toBe(201);
    const queued = (await app.as('backoffice').get('/api/v1/escalations?status=OPEN&limit=200')).body.items as { category: string; ticketNumber: string | null; createdAt: string }[];
    const page = await open('/backoffice', { role: 'backoffice', sub: 'bo-desk', name: 'Bima Back Office' });

    const byCategory = page.getByTestId('antrean-per-kategori');
    await byCategory.waitFor();
    await page.getByRole('heading', { name: `Antrean terbuka: ${queued.length} item` }).waitFor();
    const countOf = async (label: string) => (await byCategory.getByRole('row', { name: new RegExp(`^${label}`) }).locator('td').first().textContent())?.trim();
    expect(await countOf('Urgent')).toBe(String(queued.filter((e) => e.category === 'URGENT').length));
    expect(await countOf('Request Callback')).toBe(String(queued.filter((e) => e.category === 'REQUEST_CALLBACK').length));
    expect(await countOf('Laporan Melebihi SLA')).toBe(String(queued.filter((e) => e.category === 'LAPORAN_MELEBIHI_SLA').length));
    // oldest first, as the service lists them
    const firstRow = await page.getByTestId('antrean-tertua').locator('tbody tr').first().locator('td').allTextContents();
    expect(firstRow[2]).toBe(queued[0].ticketNumber ?? '—');
    expect(await a11yFindings(page)).toEqual([]);
    await screenshot(page, 'backoffice-queue');

    const steps = new Steps(page);
    await steps.click(page.getByRole('button', { name: 'Ambil berikutnya' }));
    await page.getByRole('heading', { name: /^Urgent G/ }).waitFor(); // R-E2: URGENT first
    const claimedNumber = (await page.locator('#item-diambil .number').textContent())?.trim();
    const claimedTicket = (await app.as('backoffice').get(`/api/v1/tickets/${claimedNumber}`)).body;
    const who = page.getByTestId('pelanggan-callback');
    await who.waitFor();
    expect(await who.textContent()).toContain(claimedTicket.customer.name);
    expect(await who.getByRole('link', { name: claimedTicket.customer.phone }).getAttribute('href')).toBe(`tel:${claimedTicket.customer.phone}`);
    expect(await a11yFindings(page)).toEqual([]);
    await screenshot(page, 'backoffice-claimed');
    await steps.fill(page.getByLabel('Catatan penyelesaian'), 'Sudah ditelepon, unit dikabari');
    await steps.click(page.getByRole('button', { name: 'Selesaikan' }));
    await page.getByText(/selesai\.$/).waitFor();
    expect(steps.done('back office claim → done', 3)).toBeLessThanOrEqual(3);
    await page.getByRole('heading', { name: `Antrean terbuka: ${queued.length - 1} item` }).waitFor();
    expect(await a11yFindings(page)).toEqual([]);
  });
});
