import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { setFlagsFromString } from 'node:v8';
import { Pool, type PoolConfig } from 'pg';
import { UnnamedStatementsClient } from './unnamed-statements';
import { PrismaClient } from '../generated/prisma/client';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { logFault, rootLogger } from '../logging/logger';

// Issue 30 (resident memory): Prisma's query compiler is a 3.4 MB WebAssembly module, compiled when the
// first client starts. V8's optimising tier for it (TurboFan, on hot functions) cost 45-60 MiB of resident
// memory that stayed: at rest 236 MiB with it against 178 MiB without, after a create burst 325 against
// 220 MiB (its compile zones, freed to malloc arenas that keep them). Its baseline code (Liftoff) runs
// the ORM's queries as fast within measurement (1.1-1.4 ms CPU per findMany + findFirst either way), and
// the hot statements do not go through it anyway (the pg pool below). Set before any client compiles
// the module; WebAssembly is used by nothing else in the service (fetch's parser only for JWKS).
setFlagsFromString('--liftoff-only');

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

// The readiness probe's own connection: answers in bounded time whatever the load on the main pool.
const PROBE_TIMEOUT_MS = 2000;

/**
 * A pool whose every connection has an 'error' listener for its whole life. PostgreSQL ending a
 * connection (a crash, a restart, FATAL 57P01 on shutdown) is reported as 'error' on the client; a
 * client handed to Prisma's interactive transaction between the pool's idle listener and Prisma's own
 * had none, and Node ends the process on an unheard 'error' (node-postgres #2386, #3202). The query in
 * flight still fails, and the pool replaces the connection on the next query.
 */
export function resilientPool(config: PoolConfig, name: string, onLost?: () => void): Pool {
  const pool = new Pool(config);
  const lost = (error: Error) => {
    logFault(true, (level) => rootLogger[level]({ err: error, pool: name }, 'database connection lost; the pool opens a new one when needed'));
    onLost?.();
  };
  pool.on('connect', (client) => client.on('error', lost));
  pool.on('error', lost); // an idle connection's error, reported by the pool
  return pool;
}

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  /**
   * The connection pool under Prisma's adapter, for the few hot read-only statements where Prisma's own
   * per-query work is most of the cost (the dashboards' 304 check); everything else goes through Prisma.
   */
  readonly pool: Pool;
  /** One connection for the readiness check (src/health/readiness.ts) only, so that a saturated pool does not mark a replica dead. */
  readonly probe: Pool;
  private readonly lostListeners: Set<() => void>;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is not set');
    // Overload is shed, not queued without end (docs/operations-faults.md): a request waits at most
    // dbPoolWaitMs for a connection and a statement runs at most dbStatementTimeoutMs; either answers 503.
    const lostListeners = new Set<() => void>();
    const lost = () => lostListeners.forEach((listener) => listener());
    const pool = resilientPool(
      {
        connectionString: config.databaseUrl,
        max: config.dbPoolSize,
        connectionTimeoutMillis: config.dbPoolWaitMs,
        statement_timeout: config.dbStatementTimeoutMs,
        // behind a transaction-pooling PgBouncer (< 1.21) a statement prepared on one server connection
        // is unknown on the next: no named statements there (docs/replicas.md)
        ...(config.databaseDirectUrl ? { Client: UnnamedStatementsClient } : {}),
      },
      'main',
      lost,
    );
    // Changes to one ticket queue on its row lock: under a burst of re-reports of one ticket a transaction
    // may wait its turn longer than Prisma's 5 s default before it starts.
    super({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: 20_000, timeout: 30_000 } });
    this.pool = pool;
    this.lostListeners = lostListeners;
    this.probe = resilientPool(
      { connectionString: config.databaseUrl, max: 1, connectionTimeoutMillis: PROBE_TIMEOUT_MS, statement_timeout: PROBE_TIMEOUT_MS, query_timeout: PROBE_TIMEOUT_MS },
      'probe',
      lost,
    );
  }

  /** Calls `listener` whenever PostgreSQL ends one of this service's connections (both pools). */
  onConnectionLost(listener: () => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  /** /health/ready: the database answers a trivial statement on the probe's own connection, or this throws. */
  async ping(): Promise<void> {
    await this.probe.query('SELECT 1');
  }

  /** Nest's last close phase, after every module's onModuleDestroy (the jobs stop there) has finished. */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    if (!this.pool.ending) await this.pool.end(); // a second close while the first is ending would throw
    if (!this.probe.ending) await this.probe.end();
  }
}
