import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { DevIdentity } from '../src/dev-identity/provider';
import { JobsService } from '../src/jobs/jobs.service';
import { TestApp } from './support/app';
import { a11yFindings, assertConsoleBuilt, launchBrowser, screenshot } from './support/browser';
import { createTicket, gangguan, keluhan } from './support/fixtures';
import { openSignedIn, startIdentity, type Who } from './support/identity';

// Issue 29 (console desk, unit side) and issue 26's console point: the unit dashboard, outages and
// reports as the unit and its managers work them, in Debian's chromium against the real service.
// Every page and state visited passes axe-core with no violation at any impact and with colour
// contrast decided; a console error or an uncaught page error fails the test.
let app: TestApp;
let browser: Browser;
let identity: DevIdentity;
const contexts: BrowserContext[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  assertConsoleBuilt();
  app = await TestApp.start();
  const admin = app.as('admin');
  // R-H1: a small tree; 741 in WITA (Asia/Makassar) for the outages' times (API.md: a unit's timeZone)
  const units: [string, Record<string, unknown>][] = [
    ['71', { name: 'UID Sulselrabar', level: 'UID' }],
    ['7101', { name: 'UP3 Makassar', level: 'UP3', parentCode: '71' }],
    ['741', { name: 'ULP Panakkukang', parentCode: '7101', timeZone: 'Asia/Makassar' }],
    ['742', { name: 'ULP Mattoanging', parentCode: '7101', timeZone: 'Asia/Makassar' }],
    ['542', { name: 'ULP Bandung Utara' }],
  ];
  for (const [code, body] of units) expect((await admin.put(`/api/v1/units/${code}`, body)).status).toBe(200);
  identity = await startIdentity(app, { rs256: true });
  // the browser's own language Indonesian too, so native date fields read as they would at PLN
  browser = await launchBrowser(['--lang=id-ID']);
});
afterAll(async () => {
  await browser?.close();
  await identity?.close();
  await app?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
  expect(pageErrors.splice(0)).toEqual([]); // no console error, no uncaught error, on any page
});

const open = (path: string, who: Who): Promise<Page> => openSignedIn(browser, contexts, app, identity, path, who, { errors: pageErrors });

/** Counts what a person does: each field filled or chosen, each click. */
function stepCounter(page: Page) {
  let steps = 0;
  return {
    click: async (selector: ReturnType<Page['locator']>) => {
      steps += 1;
      await selector.click();
    },
    fill: async (selector: ReturnType<Page['locator']>, value: string) => {
      steps += 1;
      await selector.fill(value);
    },
    select: async (selector: ReturnType<Page['locator']>, value: string) => {
      steps += 1;
      await selector.selectOption(value);
    },
    get steps() {
      return steps;
    },
    page,
  };
}

const unitPerson = (unit: string, name: string): Who => ({ role: 'unit', unit, sub: `unit-${unit}-${name.split(' ')[0].toLowerCase()}`, name });

describe('unit dashboard (issue 29)', () => {
  it('moves a ticket to Selesai with the unit’s answer in 3 steps, confirms it, keeps it reachable, and shows its history', async () => {
    const ticket = await createTicket(app, gangguan({ customer: { name: 'Citra', phone: '081233334444' } }));
    // a working list around it: an urgent one, a complaint, one already assigned
    await createTicket(app, gangguan({ urgent: true, customer: { name: 'Hendra', phone: '081211112222' } }));
    await createTicket(app, keluhan({ customer: { name: 'Sari', phone: '081277778888' } }));
    const assigned = await createTicket(app, gangguan({ problemType: 'PADAM_1_GARDU', customer: { name: 'Joko', phone: '081255550000' } }));
    const unit = app.as('unit', '542');
    expect((await unit.post(`/api/v1/tickets/${assigned.number}/status`, { status: 'PENUGASAN' })).status).toBe(200);
    expect((await unit.post(`/api/v1/tickets/${ticket.number}/status`, { status: 'NYALA', note: 'Sekring diganti' })).status).toBe(200);
    const page = await open('/unit', unitPerson('542', 'Umar Petugas'));
    await page.getByRole('heading', { name: 'Dasbor Unit 542' }).waitFor();
    expect(await page.title()).toBe('Dasbor Unit · Konsol APKT');
    // one definition of "aktif", shown (the report shows the same words)
    const definition = await page.getByTestId('definisi-aktif').textContent();
    expect(definition).toContain('Aktif: terbuka, atau sudah Nyala Sementara, Nyala dan menunggu Selesai');
    const row = page.locator(`[data-number="${ticket.number}"]`);
    await row.waitFor();

    const user = stepCounter(page);
    await user.click(row); // 1
    // the panel: Indonesian words for the codes, the time in the unit's zone, the history
    const panel = page.getByRole('region', { name: 'Tiket terpilih' });
    expect(await panel.locator('.facts').textContent()).toContain('Gangguan · Padam satu rumah');
    expect(await panel.locator('.facts').textContent()).toMatch(/\d{1,2} [A-Z][a-z]{2} \d{4},? \d\d\.\d\d WIB/);
    const history = page.getByRole('region', { name: `Riwayat ${ticket.number}` });
    await history.locator('[data-event="STATUS_CHANGED"]').waitFor();
    expect(await history.locator('[data-event="STATUS_CHANGED"]').textContent()).toMatch(/Status dipindahkan Lapor → Nyala.*Petugas Unit.*WIB.*Sekring diganti/);
    expect(await history.locator('[data-event="CREATED"]').textContent()).toContain('Agen Contact Center');
    expect(await page.getByLabel('Status baru').inputValue()).toBe('SELESAI'); // the next step of the flow, chosen already
    expect(await a11yFindings(page)).toEqual([]);

    await user.fill(page.getByLabel('Jawaban unit (wajib untuk Selesai)'), 'Sekring diganti, listrik menyala'); // 2
    await user.click(page.getByRole('button', { name: 'Simpan status' })); // 3
    const confirmation = page.getByTestId('konfirmasi-status');
    await confirmation.waitFor();
    expect(user.steps).toBeLessThanOrEqual(3);
    expect(await confirmation.textContent()).toBe('Tersimpan: status Nyala → Selesai (versi 3).');
    // it left the list, but not the page: the panel says so and keeps it, with the move in its history by name
    await row.waitFor({ state: 'detached' });
    expect(await page.getByTestId('keluar-daftar').textContent()).toMatch(/^Tiket ini Selesai: tidak aktif lagi, sehingga keluar dari daftar\./);
    await history.locator('[data-event="STATUS_CHANGED"]', { hasText: 'Umar Petugas' }).waitFor();
    expect(await history.locator('[data-event="STATUS_CHANGED"]').last().textContent()).toMatch(/Nyala → Selesai.*Umar Petugas · Petugas Unit/);
    const left = page.getByRole('navigation', { name: 'Baru keluar dari daftar' });
    expect(await left.getByRole('button').allTextContents()).toEqual([`${ticket.number} · Selesai`]);
    expect((await unit.get(`/api/v1/tickets/${ticket.number}`)).body).toMatchObject({ status: 'SELESAI', unitAnswer: 'Sekring diganti, listrik menyala' });
    expect(await a11yFindings(page)).toEqual([]);
    await screenshot(page, 'unit-dashboard');
  });

  it('a forward move is one click after choosing the ticket, confirmed with what moved to what', async () => {
    const ticket = await createTicket(app, keluhan());
    const page = await open('/unit', unitPerson('542', 'Umar Petugas'));
    const user = stepCounter(page);
    await user.click(page.locator(`[data-number="${ticket.number}"]`));
    await user.click(page.getByRole('button', { name: 'Simpan status' }));
    await page.getByTestId('konfirmasi-status').filter({ hasText: 'Lapor → Diproses' }).waitFor();
    expect(user.steps).toBe(2);
    // still listed (Diproses is open), counted under both Aktif and Terbuka
    const counter = (label: string) => page.locator('.counter', { has: page.locator('.label', { hasText: new RegExp(`^${label}$`) }) }).locator('.value').textContent();
    expect(Number(await counter('Tiket aktif'))).toBeGreaterThanOrEqual(1);
    expect(Number(await counter('Terbuka'))).toBeGreaterThanOrEqual(1);
  });

  it('R-H2 R-H3: a UP3 sees its ULPs’ tickets and opens one ULP from the tree picker', async () => {
    const [a, b] = await Promise.all(['741', '742'].map((unitCode) => createTicket(app, gangguan({ unitCode }))));
    const page = await open('/unit', unitPerson('7101', 'Dewi Manajer'));
    await page.getByRole('heading', { name: 'Dasbor Unit 7101' }).waitFor();
    await page.locator(`[data-number="${a.number}"]`).waitFor();
    await page.locator(`[data-number="${b.number}"]`).waitFor();
    const picker = page.getByLabel('Unit (UID → UP3 → ULP)');
    expect((await picker.locator('option').allTextContents()).map((t) => t.trim())).toEqual(['UP3 7101 — UP3 Makassar', 'ULP 741 — ULP Panakkukang', 'ULP 742 — ULP Mattoanging']);
    // a ticket of a WITA unit shows its times in WITA
    await page.locator(`[data-number="${a.number}"]`).click();
    expect(await page.locator('.facts').textContent()).toContain('WITA');
    await picker.selectOption('742');
    await page.getByRole('heading', { name: 'Dasbor Unit 742' }).waitFor();
    await page.locator(`[data-number="${b.number}"]`).waitFor();
    await page.locator(`[data-number="${a.number}"]`).waitFor({ state: 'detached' });
    expect(await a11yFindings(page)).toEqual([]);
  });
});

describe('outages (issue 29)', () => {
  it('declares in the unit’s own zone (WITA), clears the form, keeps one meaning of "aktif", and shows why a ticket left', async () => {
    const [kept, leaving] = await Promise.all([0, 1].map(() => createTicket(app, gangguan({ unitCode: '741' }))));
    const page = await open('/padam', unitPerson('741', 'Rudi Petugas'));
    await page.getByRole('heading', { name: 'Padam Meluas · unit 741' }).waitFor();
    expect(await page.getByTestId('definisi-padam-aktif').textContent()).toContain('Setelah Nyala padam tidak aktif lagi');
    const etr = page.getByLabel('Perkiraan nyala (ETR)');
    await page.getByText('Waktu unit: WITA (Asia/Makassar)').first().waitFor(); // the zone named beside the field
    await page.getByLabel('Judul').fill('Penyulang Anggrek trip');
    await page.getByLabel('Penyebab').fill('Petir');
    await page.getByLabel('Wilayah terdampak').fill('Kel. Pandang');
    await etr.fill('2030-01-02T15:00');
    const declared = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().endsWith('/api/v1/outages'));
    await page.getByRole('button', { name: 'Nyatakan' }).click();
    // 15.00 WITA is 07.00 UTC, whatever zone the browser runs in
    expect((await (await declared).json()).etr).toBe('2030-01-02T07:00:00.000Z');
    await page.getByTestId('etr').filter({ hasText: /^2 Jan 2030,? 15\.00 WITA$/ }).waitFor();
    // the form is cleared for the next outage
    expect([await page.getByLabel('Judul').inputValue(), await page.getByLabel('Penyebab').inputValue(), await etr.inputValue()]).toEqual(['', '', '']);
    expect(await page.getByLabel('ETR baru').inputValue()).toBe('2030-01-02T15:00'); // the ETR form starts from it, in WITA
    const activeList = page.getByRole('list', { name: 'Padam aktif' });
    await activeList.getByRole('button', { name: /^Penyulang Anggrek trip · Penugasan · 0\/0 tiket · ETR 2 Jan 2030,? 15\.00 WITA$/ }).waitFor();

    await page.getByLabel(new RegExp(kept.number)).check();
    await page.getByLabel(new RegExp(leaving.number)).check();
    await page.getByRole('button', { name: 'Lampirkan 2 laporan terpilih' }).click();
    await page.getByText('2 dilampirkan').waitFor();
    await page.getByRole('heading', { name: 'Laporan di padam ini (2)' }).waitFor();
    // R-O4: the unit takes one out; it stays on the page with the reason from its history
    await page.getByRole('button', { name: `Keluarkan ${leaving.number} dari padam` }).click();
    await page.getByRole('heading', { name: 'Keluar dari padam ini' }).waitFor();
    const reason = page.getByRole('region', { name: `Riwayat ${leaving.number}` }).getByTestId('keluar-padam');
    expect(await reason.textContent()).toBe('Tiket ini keluar dari padam meluas — Keluar dari padam meluas: Penyulang Anggrek trip');
    expect(await a11yFindings(page)).toEqual([]);
    await screenshot(page, 'outages');

    // at Nyala the outage is no longer active: listed apart, nothing can join, Selesai and Batal still offered (R-O1)
    await page.getByLabel('Status padam baru').selectOption('NYALA');
    await page.getByRole('button', { name: 'Simpan status padam' }).click();
    await page.getByTestId('konfirmasi-status').filter({ hasText: 'Penugasan → Nyala' }).waitFor();
    await app.app.get(JobsService).run('outagePropagation');
    const awaiting = page.getByRole('list', { name: 'Sudah nyala, menunggu Selesai' });
    await awaiting.getByRole('button', { name: /^Penyulang Anggrek trip · Nyala/ }).waitFor();
    expect(await activeList.getByRole('button', { name: /Penyulang Anggrek trip/ }).count()).toBe(0);
    await page.getByText('Padam ini tidak aktif lagi: laporan baru tidak dapat dilampirkan.').waitFor();
    expect(await page.getByLabel('Status padam baru').locator('option').allTextContents()).toEqual(['Selesai', 'Batal']);
    // the service agrees: ?active=true leaves it out
    const listed = (await app.as('unit', '741').get('/api/v1/outages?active=true')).body.items.map((o: { title: string }) => o.title);
    expect(listed).not.toContain('Penyulang Anggrek trip');
    expect(await a11yFindings(page)).toEqual([]);
    // Selesai ends it: confirmed, nothing more to move, no ETR to change
    await page.getByLabel('Jawaban unit untuk semua laporan').fill('Penyulang normal kembali');
    await page.getByRole('button', { name: 'Simpan status padam' }).click();
    await page.getByTestId('konfirmasi-status').filter({ hasText: 'Nyala → Selesai' }).waitFor();
    await page.getByText('Tidak ada perpindahan status dari Selesai.').waitFor();
    expect(await page.getByLabel('ETR baru').count()).toBe(0);
    // the list is fetched again after the move: wait for the row to leave rather than read it at once (a race seen in a full run)
    await awaiting.getByRole('button', { name: /Penyulang Anggrek trip/ }).waitFor({ state: 'detached' });
  });
});

describe('reports (issue 29, issue 26)', () => {
  it('no rule ids in headings, the same "aktif" as the dashboard, Indonesian dates, and the unit tree as a picker', async () => {
    await Promise.all([gangguan({ unitCode: '741' }), keluhan({ unitCode: '742' })].map((body) => createTicket(app, body)));
    const page = await open('/laporan', { role: 'admin', sub: 'admin-ayu', name: 'Ayu Admin' });
    await page.getByRole('heading', { name: 'Laporan', exact: true }).waitFor();
    await page.getByTestId('laporan-unit').locator('tbody tr').first().waitFor();
    expect((await page.locator('h1, h2, h3').allTextContents()).filter((h) => /R-[A-Z]+\d/.test(h))).toEqual([]);
    expect(await page.getByTestId('definisi-aktif').textContent()).toContain('Aktif: terbuka, atau sudah Nyala Sementara, Nyala dan menunggu Selesai');
    await page.getByRole('columnheader', { name: 'Terbuka kini' }).waitFor();
    expect(await page.getByTestId('laporan-unit').locator('caption').textContent()).toMatch(/^Periode \d{1,2} [A-Z][a-z]{2} \d{4} s\.d\. \d{1,2} [A-Z][a-z]{2} \d{4}$/);
    // the tree: UID → UP3 → ULP, each indented under its parent
    const picker = page.getByLabel('Unit (UID → UP3 → ULP)');
    const options = await picker.locator('option').allTextContents();
    const at = (label: string) => options.findIndex((o) => o.trim() === label);
    expect(at('UID 71 — UID Sulselrabar')).toBeGreaterThan(0);
    expect([at('UP3 7101 — UP3 Makassar'), at('ULP 741 — ULP Panakkukang'), at('ULP 742 — ULP Mattoanging')]).toEqual([at('UID 71 — UID Sulselrabar') + 1, at('UID 71 — UID Sulselrabar') + 2, at('UID 71 — UID Sulselrabar') + 3]);
    expect(options[at('ULP 741 — ULP Panakkukang')]).toMatch(/^\u2003\u2003ULP/);
    await picker.selectOption('7101');
    await page.getByRole('button', { name: 'Tampilkan' }).click();
    const codes = () => page.getByTestId('laporan-unit').locator('tbody tr td:first-child').allTextContents();
    await page.getByTestId('laporan-unit').locator('tbody tr', { hasText: '7101 (gabungan)' }).waitFor();
    expect(await codes()).toEqual(['741', '742', '7101 (gabungan)']);
    expect(await a11yFindings(page)).toEqual([]);
    await screenshot(page, 'reports');
  });
});
