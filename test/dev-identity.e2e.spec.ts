import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { Browser, Page } from 'playwright-core';
import { DEV_AUDIENCE, embeddedProviderWanted } from '../src/dev-identity/dev-mode';
import { loadOrCreateState } from '../src/dev-identity/keys';
import type { DevIdentity } from '../src/dev-identity/provider';
import { TestApp } from './support/app';
import { assertConsoleBuilt, launchBrowser } from './support/browser';
import { personFor, signInAtProvider, startIdentity } from './support/identity';

// R-U6: the embedded development provider issues tokens with the provider's own keys (RS256), which
// the service will verify through OIDC_ISSUER (R-U1); R-U5: the console signs in through it.
let app: TestApp;
let identity: DevIdentity;
let browser: Browser | undefined;

beforeAll(async () => {
  app = await TestApp.start();
});
afterAll(async () => {
  await browser?.close();
  await identity?.close();
  await app?.close();
});

describe('R-U6 embedded provider', () => {
  it('starts only in the development mode and only without OIDC_ISSUER', () => {
    expect([
      embeddedProviderWanted(true, {}),
      embeddedProviderWanted(true, { oidcIssuer: 'https://sso.pln.co.id/realms/apkt' }),
      embeddedProviderWanted(false, {}),
      embeddedProviderWanted(false, { oidcIssuer: 'https://sso.pln.co.id/realms/apkt' }),
    ]).toEqual([true, false, false, false]);
  });

  it('GET /console/config.json names no issuer until one is configured, then the provider, the client and the claims', async () => {
    expect((await app.call('GET', '/console/config.json')).body).toEqual({ issuer: null, clientId: 'apkt-console', scope: 'openid profile', rolesClaim: 'role', unitClaim: 'unit' });
    identity = await startIdentity(app, { rs256: true });
    const answer = await app.call('GET', '/console/config.json');
    expect([answer.status, answer.body]).toEqual([200, { issuer: identity.issuer, clientId: 'apkt-console', scope: 'openid profile', rolesClaim: 'role', unitClaim: 'unit' }]);
  });

  it('R-U4: a system gets an RS256 access token for the service’s audience with its role, verified with the published keys', async () => {
    const system = identity.state.systems.find((s) => s.role === 'itsm')!;
    const answer = await fetch(`${identity.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${system.clientId}:${system.clientSecret}`).toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(answer.status).toBe(200);
    const { access_token: token } = (await answer.json()) as { access_token: string };
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${identity.issuer}/jwks`)), { issuer: identity.issuer, audience: DEV_AUDIENCE });
    expect(payload).toMatchObject({ sub: system.clientId, role: 'itsm', client_id: system.clientId });
  });

  it('refuses a system with a wrong secret', async () => {
    const answer = await fetch(`${identity.issuer}/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from('apkt-itsm:wrong').toString('base64')}` },
      body: 'grant_type=client_credentials',
    });
    expect(answer.status).toBe(401);
  });

  it('keeps its key, passwords and secrets under the data folder across restarts, readable by its owner only', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'apkt-identity-'));
    try {
      const first = await loadOrCreateState(folder);
      const again = await loadOrCreateState(folder);
      expect(again).toEqual(first);
      expect(first.people.map((p) => p.username)).toEqual(expect.arrayContaining(['cso', 'mobile', 'unit542', 'unit543', 'backoffice', 'admin', 'supervisor']));
      expect((await stat(join(folder, 'dev-identity.json'))).mode & 0o077).toBe(0);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});

describe('R-U5 the console signs in through the embedded provider with its RS256 tokens', () => {
  it('holds an access token the provider’s keys verify, with role and name, and shows the person’s name and role', async () => {
    assertConsoleBuilt();
    browser = await launchBrowser();
    const context = await browser.newContext();
    const page: Page = await context.newPage();
    // role mobile has no console pages, so the page makes no API call (the service in this branch
    // verifies HS256 only; the identity branch's verifier accepts these tokens through OIDC_ISSUER)
    const person = personFor(identity, { role: 'mobile', sub: 'maya', name: 'Maya Mobile' });
    await page.goto(`${app.baseUrl}/console/`);
    await signInAtProvider(page, person);
    await page.getByText('Peran mobile tidak memiliki halaman di konsol ini.').waitFor();
    expect(await page.locator('.who').textContent()).toBe('Maya Mobile · PLN Mobile');
    const token = await page.evaluate<string>(`JSON.parse(sessionStorage.getItem(Object.keys(sessionStorage).find((k) => k.startsWith('oidc.user:')))).access_token`);
    const { payload } = await jwtVerify(token, createRemoteJWKSet(new URL(`${identity.issuer}/jwks`)), { issuer: identity.issuer, audience: DEV_AUDIENCE });
    expect(payload).toMatchObject({ sub: 'maya', role: 'mobile', name: 'Maya Mobile', client_id: 'apkt-console' });
    await context.close();
  });
});
