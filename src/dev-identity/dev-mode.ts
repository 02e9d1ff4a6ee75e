import { join } from 'node:path';
import type { AppConfig } from '../config/config';
import { loadOrCreateState } from './keys';
import { type DevIdentity, startDevIdentity } from './provider';

/** The audience of the embedded provider's access tokens (OIDC_AUDIENCE in development mode; a resource indicator, so an absolute URI). */
export const DEV_AUDIENCE = 'urn:apkt:api';

/** Where the embedded provider keeps its keys, demo people and clients, under the development data folder. */
const identityFolder = (dataDir: string): string => join(dataDir, 'identity');

/**
 * R-U6: the embedded provider starts only in the development mode (the embedded PostgreSQL, i.e. no
 * DATABASE_URL) and only when no OIDC_ISSUER names a real provider.
 */
export const embeddedProviderWanted = (developmentMode: boolean, config: Pick<AppConfig, 'oidcIssuer'>): boolean => developmentMode && !config.oidcIssuer;

/**
 * Starts the embedded provider on the port after the service's (its own origin, so it behaves as
 * PLN's provider would: another origin, its own login page and cookies) and points the service's
 * OIDC configuration at it.
 */
export async function startDevelopmentProvider(config: AppConfig, dataDir: string): Promise<DevIdentity> {
  const identity = await startDevIdentity({
    state: await loadOrCreateState(identityFolder(dataDir)),
    serviceOrigin: `http://localhost:${config.port}`,
    audience: DEV_AUDIENCE,
    consoleClientId: config.oidcConsoleClientId ?? 'apkt-console',
    port: config.port === 0 ? 0 : config.port + 1,
    listenHost: config.host,
    issuerHost: 'localhost',
  });
  config.oidcIssuer = identity.issuer;
  config.oidcAudience = identity.audience;
  return identity;
}

/** The banner's lines about signing in: the demo people with their passwords (kept in `dataDir`), the systems' clients. */
export function identityBanner(identity: DevIdentity, consoleUrl: string, dataDir: string): string {
  const { people, systems } = identity.state;
  return (
    `  Sign in to the console at ${consoleUrl} through the embedded OpenID Connect provider ${identity.issuer}\n` +
    `  (audience ${identity.audience}); demo people (kept in ${identityFolder(dataDir)}):\n` +
    people.map((p) => `    ${p.username.padEnd(11)} ${p.password.padEnd(14)} ${p.roles.join('+').padEnd(15)} ${p.unit ? `unit ${p.unit}  ` : ''}${p.name}`).join('\n') +
    `\n  Systems (client credentials at ${identity.issuer}/token):\n` +
    systems.map((s) => `    ${s.clientId.padEnd(14)} ${s.clientSecret}  role ${s.role}`).join('\n') +
    '\n'
  );
}
