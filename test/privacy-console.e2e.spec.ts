import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestApp } from './support/app';
import { openSignedIn, startIdentity, type Who } from './support/identity';
import type { DevIdentity } from '../src/dev-identity/provider';
import { assertConsoleBuilt, controlsOutOfTabReach, launchBrowser, screenshot, seriousA11yViolations } from './support/browser';
import { createTicket, keluhan, registerUnits } from './support/fixtures';

// R-P1…R-P3 in the console: the admin's Data Pribadi page, in a real browser against the real service.
let app: TestApp;
let identity: DevIdentity;
let browser: Browser;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertConsoleBuilt();
  app = await TestApp.start();
  identity = await startIdentity(app, { rs256: true }); // R-U5: people sign in on the provider's page
  await registerUnits(app, '542');
  browser = await launchBrowser();
});
afterAll(async () => {
  await identity?.close();
  await browser?.close();
  await app?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

const open = (path: string, who: Who): Promise<Page> => openSignedIn(browser, contexts, app, identity, path, who);

describe('R-P1…R-P3 Data Pribadi (admin)', () => {
  it('finds a customer, downloads the JSON, shows who saw it, and erases it after confirmation', async () => {
    const customer = { name: 'Rahmat Hidayat', phone: '081366660001', idPel: '536666000001', address: 'Jl. Dahlia 5' };
    const ticket = await createTicket(app, keluhan({ customer, issueClosed: true }));
    expect((await app.as('cso').get(`/api/v1/tickets/${ticket.number}`)).status).toBe(200);

    const page = await open('/data-pribadi', { role: 'admin' });
    await page.getByLabel('ID Pel', { exact: true }).fill(customer.idPel);
    await page.getByRole('button', { name: 'Cari' }).click();
    await page.getByTestId('data-subjek').getByText('Rahmat Hidayat').waitFor();
    await page.getByTestId('riwayat-akses').getByText('test-cso').first().waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
    expect(await controlsOutOfTabReach(page)).toEqual([]);

    const [file] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Unduh JSON' }).click()]);
    expect(file.suggestedFilename()).toBe(`data-pribadi-idPel-${customer.idPel}.json`);

    const erase = page.getByRole('button', { name: 'Hapus data pribadi' });
    expect(await erase.isDisabled()).toBe(true); // not before a reason and the confirmation
    await page.getByLabel('Alasan').fill('Surat permintaan pelanggan 12/2026');
    expect(await erase.isDisabled()).toBe(true);
    await page.getByLabel(/Saya yakin/).check();
    await erase.click();
    await page.getByTestId('hasil-hapus').waitFor();
    await page.getByTestId('data-subjek').getByText('Rahmat Hidayat').waitFor({ state: 'detached' });
    expect(await seriousA11yViolations(page)).toEqual([]);
    await screenshot(page, 'personal-data');
    expect((await app.as('cso').get(`/api/v1/tickets/${ticket.number}`)).body.customer.name).toBeNull();
  });

  it('says in Indonesian which tickets are still in handling when the erasure is refused (409), and erases nothing', async () => {
    const customer = { name: 'Sri Handayani', phone: '081366660002', idPel: '536666000002' };
    const open409 = await createTicket(app, keluhan({ customer }));
    const page = await open('/data-pribadi', { role: 'admin' });
    await page.getByLabel('ID Pel', { exact: true }).fill(customer.idPel);
    await page.getByRole('button', { name: 'Cari' }).click();
    await page.getByTestId('data-subjek').getByText('Sri Handayani').waitFor();
    await page.getByLabel('Alasan').fill('Surat permintaan pelanggan 13/2026');
    await page.getByLabel(/Saya yakin/).check();
    await page.getByRole('button', { name: 'Hapus data pribadi' }).click();
    await page.getByRole('alert').filter({ hasText: `Belum dapat dihapus: laporan ${open409.number} masih diproses` }).waitFor();
    expect((await app.as('cso').get(`/api/v1/tickets/${open409.number}`)).body.customer.name).toBe('Sri Handayani');
  });
});
