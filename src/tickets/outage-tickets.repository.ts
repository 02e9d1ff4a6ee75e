import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/prisma.service';
import type { Ticket } from '../generated/prisma/client';
import type { TicketStatus } from '../generated/prisma/enums';
import type { Actor } from './history';
import type { AttachableOutage, MoveToCarry } from './outage-port';
import { type AttachCandidate, statusesBehind } from './rules/outage.rule';
import { attachStatement, etrBatchStatement, OPEN_STATUSES, statusBatchStatement } from './sql/outage-moves.sql';

// The tickets' rows of mass outages (R-O2…R-O4); each call runs in the caller's transaction.
@Injectable()
export class OutageTicketsRepository {
  /** The named tickets, locked in number order (two attaches never deadlock). */
  lockCandidates(tx: Tx, numbers: string[]): Promise<(AttachCandidate & { number: string })[]> {
    return tx.$queryRaw<(AttachCandidate & { number: string })[]>`
      SELECT number, unit_code AS "unitCode", kind, status, outage_id::text AS "outageId"
      FROM tickets WHERE number = ANY(${numbers}::text[]) ORDER BY number FOR UPDATE`;
  }

  async attach(tx: Tx, outage: AttachableOutage, numbers: string[], actor: Actor, now: Date): Promise<void> {
    await tx.$executeRaw(attachStatement(outage, numbers, actor, now));
  }

  async find(tx: Tx, number: string): Promise<Ticket> {
    return (await tx.ticket.findUnique({ where: { number } })) as Ticket;
  }

  /** How many tickets each outage has, and how many of them are open. */
  counts(db: Tx, outageIds: string[]): Promise<{ id: string; total: number; open: number }[]> {
    return db.$queryRaw<{ id: string; total: number; open: number }[]>`
      SELECT outage_id::text AS id, count(*)::int AS total, count(*) FILTER (WHERE status = ANY(${OPEN_STATUSES}::"TicketStatus"[]))::int AS open
      FROM tickets WHERE outage_id = ANY(${outageIds}::uuid[]) GROUP BY outage_id`;
  }

  async pending(db: Tx, outageId: string, toStatus: TicketStatus, cursor: string): Promise<number> {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM tickets
      WHERE outage_id = ${outageId}::uuid AND number > ${cursor} AND status = ANY(${statusesBehind(toStatus)}::"TicketStatus"[])`;
    return row.n;
  }

  /** One batch of a move (outage-moves.sql.ts): how many, and the last number reached. */
  async carryBatch(tx: Tx, move: MoveToCarry, size: number, now: Date): Promise<{ n: number; last: string | null }> {
    const [row] = await tx.$queryRaw<{ n: number; last: string | null }[]>(
      move.kind === 'STATUS' ? statusBatchStatement(move, size, now) : etrBatchStatement(move, size, now),
    );
    return row;
  }
}
