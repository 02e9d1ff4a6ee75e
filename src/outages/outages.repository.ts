import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/prisma.service';
import type { Outage, OutageMove, Prisma } from '../generated/prisma/client';
import type { AttachableOutage } from '../tickets/outage-port';
import { ACTIVE_STATUSES } from './outage.rules';

export type LastMove = Pick<OutageMove, 'outageId' | 'toStatus' | 'cursor' | 'reached' | 'doneAt'>;

// The outages tables (outages, outage_moves); no rules here.
@Injectable()
export class OutagesRepository {
  find(db: Tx, id: string): Promise<Outage | null> {
    return db.outage.findUnique({ where: { id } });
  }

  /** The outage, its row locked until the transaction ends (moves of one outage are serialised). */
  async lock(tx: Tx, id: string): Promise<Outage | null> {
    const rows = await tx.$queryRaw<{ id: string }[]>`SELECT id::text FROM outages WHERE id = ${id}::uuid FOR UPDATE`;
    return rows.length ? tx.outage.findUnique({ where: { id } }) : null;
  }

  /** R-O2: an open outage, share-locked so that no status move slips between reading it and attaching. */
  async lockForAttach(tx: Tx, id: string): Promise<AttachableOutage | null> {
    const rows = await tx.$queryRaw<AttachableOutage[]>`
      SELECT id::text, unit_code AS "unitCode", status, title FROM outages
      WHERE id = ${id}::uuid AND status = ANY(${ACTIVE_STATUSES}::"TicketStatus"[]) FOR SHARE`;
    return rows[0] ?? null;
  }

  create(tx: Tx, data: Prisma.OutageUncheckedCreateInput): Promise<Outage> {
    return tx.outage.create({ data });
  }

  update(tx: Tx, id: string, data: Prisma.OutageUpdateInput): Promise<Outage> {
    return tx.outage.update({ where: { id }, data });
  }

  /** What an attached ticket's answer shows of its outages (R-O2). */
  summaries(db: Tx, ids: string[]): Promise<Pick<Outage, 'id' | 'title' | 'status' | 'etr'>[]> {
    return db.outage.findMany({ where: { id: { in: ids } }, select: { id: true, title: true, status: true, etr: true } });
  }

  list(db: Tx, where: Prisma.OutageWhereInput, take: number): Promise<Outage[]> {
    return db.outage.findMany({ where, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take });
  }

  /** The latest status move of each outage (R-O3 `lastPropagation`). */
  lastStatusMoves(db: Tx, outageIds: string[]): Promise<LastMove[]> {
    if (!outageIds.length) return Promise.resolve([]);
    return db.$queryRaw<LastMove[]>`
      SELECT DISTINCT ON (outage_id) outage_id::text AS "outageId", to_status AS "toStatus", cursor, reached, done_at AS "doneAt"
      FROM outage_moves WHERE outage_id = ANY(${outageIds}::uuid[]) AND kind = 'STATUS'
      ORDER BY outage_id, id DESC`;
  }

  addMove(tx: Tx, data: Prisma.OutageMoveUncheckedCreateInput): Promise<OutageMove> {
    return tx.outageMove.create({ data });
  }

  /**
   * R-O3: the oldest unfinished move of some outage whose earlier moves are all done, locked for this
   * batch; a move another replica is carrying is skipped (and so are the later moves of its outage).
   */
  /** When the oldest move still propagating was recorded (R-O3; the job-lag gauge), or null. */
  async oldestUnfinishedMoveAt(db: Tx): Promise<Date | null> {
    const [row] = await db.$queryRaw<{ at: Date | null }[]>`SELECT min(created_at) AS at FROM outage_moves WHERE done_at IS NULL`;
    return row.at;
  }

  async claimMove(tx: Tx): Promise<OutageMove | null> {
    const rows = await tx.$queryRaw<{ id: bigint }[]>`
      SELECT id FROM outage_moves m
      WHERE done_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM outage_moves p WHERE p.outage_id = m.outage_id AND p.done_at IS NULL AND p.id < m.id)
      ORDER BY id LIMIT 1
      FOR UPDATE SKIP LOCKED`;
    return rows.length ? tx.outageMove.findUnique({ where: { id: rows[0].id } }) : null;
  }

  /** Records a committed batch of `move` (in its transaction): the cursor, the count, and done when it was the last. */
  /** One statement per batch of a propagation (R-O3): its progress, and its end when `done`. */
  async advanceMove(tx: Tx, move: OutageMove, batch: { count: number; last: string | null }, done: boolean, now: Date): Promise<void> {
    await tx.$executeRaw`UPDATE outage_moves SET cursor = ${batch.last ?? move.cursor}, reached = reached + ${batch.count}::int,
      done_at = ${done ? now : null}::timestamptz WHERE id = ${move.id}`;
  }
}
