import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

// R-P5's sliding minute: one row per person with the times of their lookups of the last minute, shared by
// every replica (lookup_rate_take, migration 20261207080000_lookup_rate_sliding); no rules here.
@Injectable()
export class LookupRateRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One lookup of `sub` at `now`: 0 when allowed (and counted), else the milliseconds until one is. */
  async take(sub: string, now: Date, limitPerMinute: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ wait: bigint }[]>`SELECT lookup_rate_take(${sub}, ${now}::timestamptz, ${limitPerMinute}::int) AS wait`;
    return Number(row.wait);
  }

  /** Deletes the rows of people whose last lookup is older than `before` (the retention job). */
  purgeBefore(before: Date): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM lookup_rate_log WHERE coalesce(stamps[cardinality(stamps)], '-infinity') < ${before}`;
  }
}
