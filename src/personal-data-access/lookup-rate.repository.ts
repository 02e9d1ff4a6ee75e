import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';

// R-P5's fixed-window counters, one row per person and minute, shared by every replica; no rules here.
@Injectable()
export class LookupRateRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Counts one more lookup of `sub` in the window and returns the window's count (one atomic upsert). */
  async take(sub: string, windowStart: Date): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ count: number }[]>`
      INSERT INTO lookup_rate_windows (sub, window_start, count) VALUES (${sub}, ${windowStart}, 1)
      ON CONFLICT (sub, window_start) DO UPDATE SET count = lookup_rate_windows.count + 1
      RETURNING count`;
    return row.count;
  }

  /** Deletes windows that ended before `before` (the retention job). */
  purgeBefore(before: Date): Promise<number> {
    return this.prisma.$executeRaw`DELETE FROM lookup_rate_windows WHERE window_start < ${before}`;
  }
}
