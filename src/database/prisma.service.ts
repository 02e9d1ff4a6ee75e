import { Inject, Injectable, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { Pool } from 'pg';
import { PrismaClient } from '../generated/prisma/client';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { rootLogger } from '../logging/logger';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

@Injectable()
export class PrismaService extends PrismaClient implements OnApplicationShutdown {
  /**
   * The connection pool under Prisma's adapter, for the few hot read-only statements where Prisma's own
   * per-query work is most of the cost (the dashboards' 304 check); everything else goes through Prisma.
   */
  readonly pool: Pool;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is not set');
    const pool = new Pool({ connectionString: config.databaseUrl, max: 20 });
    // Changes to one ticket queue on its row lock: under a burst of re-reports of one ticket a transaction
    // may wait its turn longer than Prisma's 5 s default before it starts.
    super({ adapter: new PrismaPg(pool), transactionOptions: { maxWait: 20_000, timeout: 30_000 } });
    this.pool = pool;
    // An idle connection that PostgreSQL drops (a restart, a failover, the embedded server stopping on
    // Ctrl-C) is reported as 'error' on the pool, which would end the process with nobody listening;
    // Prisma listens only while connected. The pool replaces the connection on the next query.
    pool.on('error', (error) => rootLogger.warn({ err: error }, 'idle database connection lost; the pool opens a new one when needed'));
  }

  /** Nest's last close phase, after every module's onModuleDestroy (the jobs stop there) has finished. */
  async onApplicationShutdown(): Promise<void> {
    await this.$disconnect();
    if (!this.pool.ending) await this.pool.end(); // a second close while the first is ending would throw
  }
}
