import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient } from '../generated/prisma/client';
import { APP_CONFIG, type AppConfig } from '../config/config';

export type Tx = Parameters<Parameters<PrismaClient['$transaction']>[0]>[0];

@Injectable()
export class PrismaService extends PrismaClient implements OnModuleDestroy {
  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    if (!config.databaseUrl) throw new Error('DATABASE_URL is not set');
    // Changes to one ticket queue on its row lock: under a burst of re-reports of one ticket a transaction
    // may wait its turn longer than Prisma's 5 s default before it starts.
    super({
      adapter: new PrismaPg({ connectionString: config.databaseUrl, max: 20 }),
      transactionOptions: { maxWait: 20_000, timeout: 30_000 },
    });
  }

  async onModuleDestroy(): Promise<void> {
    await this.$disconnect();
  }
}
