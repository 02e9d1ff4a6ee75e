import type { Browser, BrowserContext, Page } from 'playwright-core';
import { APP_CONFIG, type AppConfig } from '../../src/config/config';
import { DEV_AUDIENCE } from '../../src/dev-identity/dev-mode';
import { freshState } from '../../src/dev-identity/keys';
import type { DevPerson } from '../../src/dev-identity/people';
import { type DevIdentity, startDevIdentity } from '../../src/dev-identity/provider';
import { TEST_SECRET, type TestApp } from './app';

/**
 * The embedded development provider (R-U6) beside a TestApp, the app's console pointed at it. Its
 * access tokens are HS256 under the suite's AUTH_JWT_SECRET unless `rs256` is asked for, so that the
 * service accepts them whether or not it verifies the provider's own keys.
 */
export async function startIdentity(app: TestApp, options: { rs256?: boolean; accessTokenTtlSeconds?: number } = {}): Promise<DevIdentity> {
  const state = freshState();
  state.people = [];
  const identity = await startDevIdentity({
    state,
    serviceOrigin: app.baseUrl,
    audience: DEV_AUDIENCE,
    consoleClientId: 'apkt-console',
    port: 0,
    issuerHost: '127.0.0.1',
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    accessTokenSecret: options.rs256 ? undefined : TEST_SECRET,
  });
  const config = app.app.get<AppConfig>(APP_CONFIG);
  config.oidcIssuer = identity.issuer;
  config.oidcAudience = identity.audience;
  return identity;
}

export interface Who {
  role: string;
  unit?: string;
  sub?: string;
  roles?: string[];
  name?: string;
}

/** The demo person for `who` (made on first use): username = the sub the service will see. */
export function personFor(identity: DevIdentity, who: Who): DevPerson {
  const username = who.sub ?? `test-${who.role}${who.unit ? `-${who.unit}` : ''}`;
  let person = identity.state.people.find((p) => p.username === username);
  if (!person) {
    const unit = who.unit ?? (who.role === 'unit' || who.roles?.includes('unit') ? '542' : undefined);
    person = { username, password: `pw-${username}`, name: who.name ?? `Orang Uji ${username}`, roles: who.roles ?? [who.role], ...(unit ? { unit } : {}) };
    identity.state.people.push(person);
  }
  return person;
}

/** Signs in on the provider's own login page, from the console's sign-in page already open in `page`. */
export async function signInAtProvider(page: Page, person: DevPerson): Promise<void> {
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.getByLabel('Nama pengguna').fill(person.username);
  await page.getByLabel('Kata sandi').fill(person.password);
  await page.getByRole('button', { name: 'Masuk' }).click();
  await page.waitForURL((url) => url.pathname.startsWith('/console') && !url.pathname.startsWith('/console/auth/'));
}

/**
 * A fresh browser tab at `path` under the app's /console, signed in as `who` on the embedded provider's
 * own login page (R-U5, R-U6); the context is added to `contexts` for the caller to close. With
 * `errors`, every console error and uncaught exception of the console's own pages and of the provider's
 * sign-in page (a person sees both) is pushed there, for the spec to require none.
 */
export async function openSignedIn(
  browser: Browser,
  contexts: BrowserContext[],
  app: TestApp,
  identity: DevIdentity,
  path: string,
  who: Who,
  options: { errors?: string[]; height?: number } = {},
): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: options.height ?? 960 }, locale: 'id-ID', acceptDownloads: true });
  contexts.push(context);
  const page = await context.newPage();
  const errors = options.errors;
  if (errors) {
    const mine = () => page.url().startsWith(`${app.baseUrl}/console`) || page.url().startsWith(identity.issuer);
    page.on('console', (m) => m.type() === 'error' && mine() && errors.push(`${page.url()} console: ${m.text()} @ ${m.location().url}`));
    page.on('pageerror', (e) => errors.push(`${page.url()} pageerror: ${e.message}`));
  }
  await page.goto(`${app.baseUrl}/console${path}`);
  await signInAtProvider(page, personFor(identity, who));
  return page;
}
