import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { databaseFault } from '../database/faults';
import { type AccessRow, AccessLogRepository } from './access-log.repository';
import { logFault } from '../logging/logger';
import type { Seen } from './access-extract';

/** Rows are written at least this often; a crash loses at most this much. */
export const FLUSH_MS = 1000;
/** A buffer this full is written at once (one INSERT of this many rows). */
export const FLUSH_ROWS = 1000;
/** Held while the database is away; beyond this the oldest rows are dropped (and said so in the log). */
const MAX_HELD = 200_000;
const DAY = 86_400_000;
/** Partitions made ahead (the retention job and start-up make them; a flush makes a missing one itself). */
export const PARTITION_DAYS_AHEAD = 7;

export interface Access {
  sub: string;
  role: string;
  endpoint: string;
  requestId: string;
  seen: Seen[];
}

/**
 * R-P1: records, off the request path, who was shown whose personal data. A request only appends to an
 * in-memory buffer; the buffer is written as one multi-row INSERT every FLUSH_MS (or at FLUSH_ROWS rows),
 * and once more when the application closes (Nest's first close phase, before the pool closes).
 */
@Injectable()
export class AccessLog implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('AccessLog');
  private buffer: AccessRow[] = [];
  private flushing: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Off for the measurement of its cost (bench); always on in service. */
  enabled = true;

  constructor(
    private readonly repository: AccessLogRepository,
    private readonly clock: Clock,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const now = this.clock.now();
    await this.repository.ensurePartitions(new Date(now.getTime() - DAY), new Date(now.getTime() + PARTITION_DAYS_AHEAD * DAY)).catch((error: Error) =>
      this.logger.warn({ err: error }, 'access-log partitions not made at start; the first flush makes them'),
    );
    this.timer = setInterval(() => void this.flush(), FLUSH_MS);
    this.timer.unref();
  }

  async onModuleDestroy(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    await this.flush();
  }

  record(access: Access): void {
    if (!this.enabled || !access.seen.length) return;
    this.buffer.push({
      at: this.clock.now(),
      sub: access.sub,
      role: access.role,
      endpoint: access.endpoint,
      requestId: access.requestId,
      ticketNumbers: access.seen.map((s) => s.ticketNumber),
      idPels: access.seen.map((s) => s.idPel),
      phones: access.seen.map((s) => s.phone),
    });
    if (this.buffer.length >= FLUSH_ROWS && !this.flushing) void this.flush();
  }

  /** Writes everything buffered so far (waits for a write in progress first); the admin's query calls it too. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (!this.buffer.length) return;
    const rows = this.buffer;
    this.buffer = [];
    this.flushing = this.write(rows).finally(() => (this.flushing = null));
    await this.flushing;
  }

  private async write(rows: AccessRow[]): Promise<void> {
    try {
      await this.insertMakingPartitions(rows);
    } catch (error) {
      // kept for the next flush: a database that is away for a while loses nothing until MAX_HELD
      this.buffer = rows.concat(this.buffer);
      const over = this.buffer.length - MAX_HELD;
      if (over > 0) this.buffer.splice(0, over);
      logFault(databaseFault(error) !== undefined, (level) => this.logger[level]({ err: error, held: this.buffer.length, dropped: Math.max(0, over) }, 'access log not written; retried at the next flush'));
    }
  }

  private async insertMakingPartitions(rows: AccessRow[]): Promise<void> {
    try {
      await this.repository.insert(rows);
    } catch (error) {
      if (!/no partition of relation/.test(String((error as Error).message))) throw error;
      const times = rows.map((r) => r.at.getTime());
      await this.repository.ensurePartitions(new Date(Math.min(...times)), new Date(Math.max(...times)));
      await this.repository.insert(rows);
    }
  }
}
