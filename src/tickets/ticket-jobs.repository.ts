import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service';
import type { Ticket } from '../generated/prisma/client';
import { autoCloseStatement } from './sql/auto-close.sql';
import { markSlaBreachesStatement } from './sql/mark-sla-breaches.sql';
import { TICKET_COLUMNS } from './sql/ticket-columns.sql';

/** The due rows each job reads first, for the operators' gauges (null when nothing is due). */
export interface OldestDue {
  autoClose: Date | null;
  autoTransfer: Date | null;
  slaBreach: Date | null;
}

// The statements of the tickets' side of the scheduled jobs (R-J1, R-J2, R-J3); the due conditions match
// the partial indexes of the first migration, so a batch costs what is due, not the table's size.
@Injectable()
export class TicketJobsRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The oldest due item of each job, read through the same partial indexes the jobs claim with. */
  async oldestDue(now: Date): Promise<OldestDue> {
    const [row] = await this.prisma.$queryRaw<{ auto_close: Date | null; auto_transfer: Date | null; sla_breach: Date | null }[]>`
      SELECT
        (SELECT min(confirmation_deadline) FROM tickets WHERE status = 'SELESAI' AND confirmation_deadline <= ${now}) AS auto_close,
        (SELECT min(auto_transfer_at) FROM tickets WHERE status = 'LAPOR' AND auto_transfer_at IS NOT NULL AND auto_transfer_at <= ${now}) AS auto_transfer,
        (SELECT min(sla_deadline) FROM tickets
          WHERE over_sla = false AND status IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES') AND sla_deadline <= ${now}) AS sla_breach`;
    return { autoClose: row.auto_close, autoTransfer: row.auto_transfer, slaBreach: row.sla_breach };
  }

  /**
   * Open tickets and open over-SLA tickets per unit, for the operators' gauges (issue 32). The over-SLA
   * count walks tickets_open_over_sla_idx; the open count reads every open ticket, so JobsService
   * refreshes it at most once a minute.
   */
  async openByUnit(): Promise<{ unit: string; open: number; overSla: number }[]> {
    return this.prisma.$queryRaw<{ unit: string; open: number; overSla: number }[]>`
      SELECT unit_code AS unit, count(*)::int AS open, (count(*) FILTER (WHERE over_sla))::int AS "overSla"
      FROM tickets WHERE status IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'DIPROSES')
      GROUP BY unit_code`;
  }

  async openOverSla(): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM tickets WHERE over_sla AND status IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'DIPROSES')`;
    return row.n;
  }

  /** R-J1's batch (auto-close.sql.ts); how many tickets it closed. */
  async autoCloseBatch(now: Date, batch: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>(autoCloseStatement(now, batch));
    return row.n;
  }

  /** R-J3's batch (mark-sla-breaches.sql.ts); how many tickets it marked. */
  async markSlaBreachesBatch(now: Date, batch: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>(markSlaBreachesStatement(now, batch));
    return row.n;
  }

  /** R-J2: Keluhan due for auto-transfer, locked for this batch; rows another replica holds are skipped. */
  claimDueTransfers(tx: Tx, now: Date, batch: number): Promise<Ticket[]> {
    return tx.$queryRaw<Ticket[]>`
      SELECT ${TICKET_COLUMNS} FROM tickets
      WHERE status = 'LAPOR' AND auto_transfer_at IS NOT NULL AND auto_transfer_at < ${now}
      ORDER BY auto_transfer_at LIMIT ${batch}
      FOR UPDATE SKIP LOCKED`;
  }
}
