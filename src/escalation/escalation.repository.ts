import { Injectable } from '@nestjs/common';
import type { Reader } from '../database/read-router';
import { cancellable } from '../database/cancellable';
import { prepared } from '../database/prepared';
import { PrismaService, Tx } from '../database/prisma.service';
import { Escalation, EscalationCategory, EscalationStatus, Prisma } from '../generated/prisma/client';
import { rollUpGroups, ulpsOf, type UnitSpan } from '../units/roll-up.sql';

export interface NewEscalation {
  category: EscalationCategory;
  ticketNumber: string | null;
  note: string;
  callbackAt: Date | null;
  createdAt: Date;
}

// R-L1's read of a customer lookup, under the model's field names.
const ESCALATIONS_OF_TICKETS = `SELECT id, category, status, ticket_number AS "ticketNumber", note, callback_at AS "callbackAt",
    created_at AS "createdAt", claimed_by AS "claimedBy", claimed_at AS "claimedAt", lease_until AS "leaseUntil", done_at AS "doneAt",
    done_note AS "doneNote"
  FROM escalations WHERE ticket_number = ANY($1::text[]) ORDER BY created_at DESC, id DESC LIMIT $2`;

/** R-M2/R-M4: escalations of a unit's tickets queued in a report's period (days in the unit's time zone). */
export interface ReportPeriod extends UnitSpan {
  from: string;
  to: string;
}

export interface EscalationAggregate {
  unitCode: string;
  /** the day in the unit's time zone (YYYY-MM-DD) for daily counts, else null */
  date: string | null;
  category: EscalationCategory;
  count: number;
  /** nearest-rank median of createdAt → doneAt in minutes over the done ones (daily counts: null) */
  doneMinutesP50: number | null;
}

/**
 * R-M2 / R-M4: escalations naming a ticket of each unit in scope, queued (createdAt) between `from` and
 * `to` (both included, days in the unit's time zone), per unit and category, and per day when `daily`.
 * Read through escalations_created_at_idx over the widest window, then each unit's own. The benchmark
 * runs it as part of the reports' raw-SQL baseline.
 */
export function escalationAggregateStatement(period: ReportPeriod, daily: boolean): Prisma.Sql {
  const day = daily ? Prisma.sql`to_char(e.created_at AT TIME ZONE u.time_zone, 'YYYY-MM-DD')` : Prisma.sql`NULL::text`;
  const p50 = daily
    ? Prisma.sql`NULL::float8`
    : Prisma.sql`(extract(epoch FROM percentile_disc(0.5) WITHIN GROUP (ORDER BY e.done_at - e.created_at)) / 60)::float8`;
  // R-H3: per ULP, plus the node's roll-up (and a UID's UP3s'), each median recomputed over the union
  const groups = rollUpGroups(period, Prisma.sql`u.code`, [day, Prisma.sql`e.category`], Prisma.sql`u.parent_code`);
  return Prisma.sql`
    WITH u AS (
      SELECT code, parent_code, time_zone, ${period.from}::date::timestamp AT TIME ZONE time_zone AS lo,
        (${period.to}::date + 1)::timestamp AT TIME ZONE time_zone AS hi
      FROM units WHERE ${ulpsOf(period)})
    SELECT ${groups.key} AS "unitCode", ${day} AS date, e.category, count(*)::int AS count, ${p50} AS "doneMinutesP50"
    FROM escalations e
    JOIN tickets t ON t.number = e.ticket_number
    JOIN u ON u.code = t.unit_code AND e.created_at >= u.lo AND e.created_at < u.hi
    WHERE e.created_at >= (SELECT min(lo) FROM u) AND e.created_at < (SELECT max(hi) FROM u)
    GROUP BY ${groups.groupBy}`;
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

export interface QueueGauges {
  openByCategory: Record<string, number>;
  oldestOpenAt: Date | null;
  oldestLeaseDue: Date | null;
}

@Injectable()
export class EscalationRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** The operators' gauges of the queue: open items per category, the oldest open item, the oldest expired lease. */
  async queueGauges(now: Date): Promise<QueueGauges> {
    const rows = await this.prisma.$queryRaw<{ category: string; n: number; oldest: Date }[]>`
      SELECT category::text AS category, count(*)::int AS n, min(created_at) AS oldest FROM escalations WHERE status = 'OPEN' GROUP BY category`;
    const [lease] = await this.prisma.$queryRaw<{ due: Date | null }[]>`
      SELECT min(lease_until) AS due FROM escalations WHERE status = 'CLAIMED' AND lease_until <= ${now}`;
    const openByCategory = Object.fromEntries(Object.values(EscalationCategory).map((c) => [c, rows.find((r) => r.category === c)?.n ?? 0]));
    const oldest = rows.map((r) => r.oldest.getTime());
    return { openByCategory, oldestOpenAt: oldest.length ? new Date(Math.min(...oldest)) : null, oldestLeaseDue: lease.due };
  }

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

  /** R-M2 / R-M4: escalationAggregateStatement's rows; cancelled when `signal` aborts (issue 14 point 18). */
  aggregate(period: ReportPeriod, daily: boolean, signal?: AbortSignal, db?: Reader): Promise<EscalationAggregate[]> {
    return cancellable<EscalationAggregate>(db?.pool ?? this.prisma.pool, escalationAggregateStatement(period, daily), signal);
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

  /**
   * R-L1: the escalations of these tickets, newest first (the ticket_number index). A customer lookup
   * runs it on every call: a prepared statement on the pool, without the ORM's per-query work.
   */
  async ofTickets(ticketNumbers: string[], limit: number, db?: Reader): Promise<Escalation[]> {
    if (!ticketNumbers.length) return [];
    return (await (db?.pool ?? this.prisma.pool).query<Escalation>(prepared(ESCALATIONS_OF_TICKETS, [ticketNumbers, limit]))).rows;
  }

  /** Which of the tickets have an escalation (every escalation has a note; the ticket_number index). */
  async ticketsEscalated(tx: Tx, numbers: string[]): Promise<string[]> {
    const rows = await tx.$queryRaw<{ number: string }[]>`
      SELECT DISTINCT ticket_number AS number FROM escalations WHERE ticket_number = ANY(${numbers}::text[])`;
    return rows.map((r) => r.number);
  }

  /**
   * R-P2: the escalations naming no ticket (a request callback) whose note holds one of the customer's
   * identifiers (`found`: phone, ID Pel, meter, e-mail forms; never a name alone, which other customers share).
   */
  async ticketlessNoting(found: string, limit: number): Promise<Escalation[]> {
    const ids = await this.prisma.$queryRaw<{ id: string }[]>`
      SELECT id::text FROM escalations WHERE ticket_number IS NULL AND (note ~* ${found} OR done_note ~* ${found})
      ORDER BY created_at DESC LIMIT ${limit}`;
    if (!ids.length) return [];
    return this.prisma.escalation.findMany({ where: { id: { in: ids.map((r) => r.id) } }, orderBy: { createdAt: 'desc' } });
  }

  /** R-P3: those escalations with every trace of the customer (`pattern`, names too) replaced; their ids. */
  async eraseTicketless(tx: Tx, found: string, pattern: string): Promise<string[]> {
    const rows = await tx.$queryRaw<{ id: string }[]>`
      UPDATE escalations SET note = regexp_replace(note, ${pattern}, '[dihapus]', 'gi'),
        done_note = coalesce(regexp_replace(done_note, ${pattern}, '[dihapus]', 'gi'), done_note)
      WHERE ticket_number IS NULL AND (note ~* ${found} OR done_note ~* ${found})
      RETURNING id::text`;
    return rows.map((r) => r.id);
  }

  /** R-P3, R-P4: the escalations of the tickets, their notes with each ticket's pattern replaced (docs/privacy.md). */
  async erasePersonalData(tx: Tx, numbers: string[], patterns: (string | null)[]): Promise<number> {
    return tx.$executeRaw`
      UPDATE escalations x SET note = regexp_replace(x.note, e.pattern, '[dihapus]', 'gi'),
        done_note = coalesce(regexp_replace(x.done_note, e.pattern, '[dihapus]', 'gi'), x.done_note)
      FROM unnest(${numbers}::text[], ${patterns}::text[]) AS e(number, pattern)
      WHERE x.ticket_number = e.number AND x.ticket_number = ANY(${numbers}::text[]) AND e.pattern IS NOT NULL AND (x.note ~* e.pattern OR x.done_note ~* e.pattern)`;
  }
}
