import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { TestApp } from './support/app';
import { openSignedIn, startIdentity, type Who } from './support/identity';
import type { DevIdentity } from '../src/dev-identity/provider';
import { assertConsoleBuilt, launchBrowser, seriousA11yViolations } from './support/browser';
import { createTicket, gangguan, registerUnits } from './support/fixtures';

// R-W1, R-W3, R-W5, R-W7 in the console: an admin registers an endpoint, sees its secret once, sees
// its messages with their attempts, rotates, disables; a unit sees its over-SLA mails. Axe-clean.
let app: TestApp;
let identity: DevIdentity;
let browser: Browser;
let receiver: Server;
let base: string;
const contexts: BrowserContext[] = [];

beforeAll(async () => {
  assertConsoleBuilt();
  receiver = createServer((req, res) => req.resume().on('end', () => res.end('ok')));
  await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
  app = await TestApp.start({ config: { webhookAllowedHosts: ['127.0.0.1'] } });
  identity = await startIdentity(app, { rs256: true }); // R-U5: people sign in on the provider's page
  await registerUnits(app, '542');
  browser = await launchBrowser();
});
afterAll(async () => {
  await identity?.close();
  await browser?.close();
  await app?.close();
  receiver?.close();
});
afterEach(async () => {
  await Promise.all(contexts.splice(0).map((c) => c.close()));
});

const open = (path: string, who: Who): Promise<Page> => openSignedIn(browser, contexts, app, identity, path, who);

describe('R-W1/R-W5 the webhook page', () => {
  it('registers an endpoint, shows its secret once, lists its delivered messages, disables it', async () => {
    const page = await open('/webhook', { role: 'admin' });
    await page.getByRole('heading', { name: 'Webhook' }).waitFor();
    await page.getByLabel('URL (https)').fill(`${base}/hook`);
    await page.getByRole('button', { name: 'Daftarkan' }).click();
    await page.getByText(/Rahasia endpoint/).waitFor();
    expect(await page.locator('.notice code').textContent()).toMatch(/^whsec_/);
    expect(await seriousA11yViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sudah saya simpan' }).click();
    await createTicket(app, gangguan());
    // statuses and event types in the console's words, the type's code beside it
    await page.getByRole('cell', { name: 'Terkirim' }).first().waitFor({ timeout: 15000 });
    await page.getByRole('cell', { name: /^Laporan dibuat ticket\.created/ }).first().waitFor();
    await page.getByText('Peristiwa: Semua peristiwa · semua unit').waitFor();
    await page.getByRole('button', { name: 'Nonaktifkan' }).click();
    await page.getByRole('button', { name: 'Aktifkan', exact: true }).waitFor();
    await page.getByText('Status: nonaktif — dinonaktifkan admin').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});

describe('the service\'s refusals in the console\'s words', () => {
  it('leads a refusal with what happened in Indonesian, then the service\'s detail naming the field', async () => {
    const page = await open('/webhook', { role: 'admin' });
    await page.getByLabel('URL (https)').fill('https://10.0.0.1/x');
    await page.getByRole('button', { name: 'Daftarkan' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Isian belum benar — url: url points to an internal address');
  });
});

describe('R-W7 the notification page', () => {
  it('shows the unit its over-SLA mails (none yet) and passes the axe check', async () => {
    const page = await open('/notifikasi', { role: 'unit', unit: '542' });
    await page.getByRole('heading', { name: /Notifikasi Over SLA/ }).waitFor();
    await page.getByText('Belum ada pesan.').waitFor();
    expect(await seriousA11yViolations(page)).toEqual([]);
  });
});
