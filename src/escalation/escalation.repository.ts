import { Injectable } from '@nestjs/common';
import { PrismaService, Tx } from '../database/prisma.service';
import { Escalation, EscalationCategory, EscalationStatus, Prisma } from '../generated/prisma/client';

export interface NewEscalation {
  category: EscalationCategory;
  ticketNumber: string | null;
  note: string;
  callbackAt: Date | null;
  createdAt: Date;
}

export interface EscalationFilter {
  statuses?: EscalationStatus[];
  categories?: EscalationCategory[];
  after?: { createdAt: Date; id: string };
  limit: number;
}

/** R-E4: a callback is handed out at most this long before its callbackAt. */
export const CALLBACK_EARLY_MS = 5 * 60_000;

// The columns of an Escalation row under the Prisma model's names, for the raw statements below.
const COLUMNS = Prisma.sql`e.id, e.category, e.status, e.ticket_number AS "ticketNumber", e.note, e.callback_at AS "callbackAt",
  e.created_at AS "createdAt", e.claimed_by AS "claimedBy", e.claimed_at AS "claimedAt", e.lease_until AS "leaseUntil",
  e.done_at AS "doneAt", e.done_note AS "doneNote"`;

@Injectable()
export class EscalationRepository {
  constructor(private readonly prisma: PrismaService) {}

  insert(tx: Tx, data: NewEscalation): Promise<Escalation> {
    return tx.escalation.create({ data: { ...data, status: EscalationStatus.OPEN } });
  }

  /** Oldest first by createdAt then id; `after` is the keyset of the previous page's last item. */
  page(filter: EscalationFilter): Promise<Escalation[]> {
    const { after } = filter;
    return this.prisma.escalation.findMany({
      where: {
        ...(filter.statuses ? { status: { in: filter.statuses } } : {}),
        ...(filter.categories ? { category: { in: filter.categories } } : {}),
        ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      take: filter.limit,
    });
  }

  // R-E2 in one statement: SKIP LOCKED lets concurrent claimers pass over a row another is taking, so two
  // agents never get the same item. R-E4: an item with callbackAt is due 5 minutes before it and ranks
  // by it instead of createdAt; the order (URGENT first, then due time) follows escalations_due_queue_idx.
  async claimNext(sub: string, categories: EscalationCategory[] | undefined, now: Date, leaseUntil: Date): Promise<Escalation | undefined> {
    const claimableUntil = new Date(now.getTime() + CALLBACK_EARLY_MS);
    const only = categories ? Prisma.sql`AND category = ANY(${categories}::"EscalationCategory"[])` : Prisma.empty;
    const [claimed] = await this.prisma.$queryRaw<Escalation[]>`
      WITH next AS (
        SELECT id FROM escalations
        WHERE status = 'OPEN' AND (callback_at IS NULL OR callback_at <= ${claimableUntil}) ${only}
        ORDER BY (category <> 'URGENT'), coalesce(callback_at, created_at), id
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      UPDATE escalations e
      SET status = 'CLAIMED', claimed_by = ${sub}, claimed_at = ${now}, lease_until = ${leaseUntil}
      FROM next WHERE e.id = next.id
      RETURNING ${COLUMNS}`;
    return claimed;
  }

  /** The row, locked until `tx` ends, so that a finish and the R-J4 sweep never both act on it. */
  async lock(tx: Tx, id: string): Promise<Escalation | undefined> {
    const [row] = await tx.$queryRaw<Escalation[]>`SELECT ${COLUMNS} FROM escalations e WHERE e.id = ${id}::uuid FOR UPDATE`;
    return row;
  }

  finish(tx: Tx, id: string, doneAt: Date, doneNote: string): Promise<Escalation> {
    return tx.escalation.update({ where: { id }, data: { status: EscalationStatus.DONE, doneAt, doneNote } });
  }

  // R-J4, set-based over escalations_lease_due_idx; SKIP LOCKED keeps replicas sweeping at once from
  // waiting on each other or on a finish in progress.
  releaseExpired(now: Date, batch: number): Promise<number> {
    return this.prisma.$executeRaw`
      WITH due AS (
        SELECT id FROM escalations
        WHERE status = 'CLAIMED' AND lease_until <= ${now}
        ORDER BY lease_until
        LIMIT ${batch}::int
        FOR UPDATE SKIP LOCKED
      )
      UPDATE escalations e
      SET status = 'OPEN', claimed_by = NULL, claimed_at = NULL, lease_until = NULL
      FROM due WHERE e.id = due.id`;
  }

  /** R-L1: the escalations of these tickets, newest first (the ticket_number index). */
  ofTickets(ticketNumbers: string[], limit: number): Promise<Escalation[]> {
    return this.prisma.escalation.findMany({ where: { ticketNumber: { in: ticketNumbers } }, orderBy: [{ createdAt: 'desc' }, { id: 'desc' }], take: limit });
  }
}
