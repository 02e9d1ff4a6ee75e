import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/prisma.service';
import { Prisma, type Ticket } from '../generated/prisma/client';
import type { TicketStatus } from '../generated/prisma/enums';
import { invalidTransition } from '../http/problem';
import type { Actor } from './history';
import { type AttachableOutage, OutagePort } from './outage-port';
import { OPEN } from './rules/lifecycle.rule';
import { type AttachRefusal, attachRefusal, statusesBehind } from './rules/outage.rule';
import type { TicketDraft } from './tickets.service';

/** One move of an outage being carried to its tickets (R-O3): a status move, or an etr change. */
export interface MoveToCarry {
  outageId: string;
  kind: 'STATUS' | 'ETR';
  toStatus: TicketStatus | null;
  title: string;
  unitAnswer: string | null;
  reason: string | null;
  note: string | null;
  actorSub: string;
  actorRole: string;
  occurredAt: Date;
  cursor: string;
}

export interface AttachAnswer {
  attached: string[];
  refused: { number: string; reason: AttachRefusal }[];
}

const OPEN_STATUSES = [...OPEN];
export const outageNote = (title: string) => `Padam meluas: ${title}`;

/**
 * The ticket columns a move to `to` at the time `at` sets, with the same facts as a unit's own move
 * (R-T5 resolvedAt and unitAnswer, R-C1 window, R-T4 BATAL reason, R-S2 overSla, R-M1 respondedAt and
 * nyalaAt). `at` is an SQL expression: each ticket's own event time.
 */
function movedColumns(to: TicketStatus, at: Prisma.Sql, unitAnswer: string | null, reason: string | null, now: Date): Prisma.Sql {
  const selesai = to === 'SELESAI';
  const batal = to === 'BATAL';
  return Prisma.sql`status = ${to}::"TicketStatus",
    resolved_at = CASE WHEN ${selesai} THEN ${at} ELSE t.resolved_at END,
    unit_answer = CASE WHEN ${selesai} THEN ${unitAnswer}::text ELSE t.unit_answer END,
    confirmation_deadline = CASE WHEN ${selesai} THEN ${at} + make_interval(mins => t.confirmation_window_minutes) ELSE t.confirmation_deadline END,
    cancel_reason = CASE WHEN ${batal} THEN ${reason}::text ELSE t.cancel_reason END,
    closed_at = CASE WHEN ${batal} THEN ${at} ELSE t.closed_at END,
    responded_at = coalesce(t.responded_at, ${at}),
    nyala_at = coalesce(t.nyala_at, CASE WHEN ${to === 'NYALA_SEMENTARA' || to === 'NYALA'} THEN ${at} END),
    over_sla = t.over_sla AND ${OPEN.has(to)},
    version = t.version + 1, updated_at = ${now}::timestamptz, last_event_at = ${at}`;
}

// The tickets' side of mass outages (R-O2…R-O4): the set-based statements that attach tickets to an
// outage and carry its moves to them. Each runs inside the caller's transaction (TicketsService.write),
// so a ticket's change and its events commit together (R-T6).
@Injectable()
export class OutageTicketsService {
  constructor(private readonly outages: OutagePort) {}

  /**
   * R-O2: attaches the named tickets, each taking the outage's status at once (ATTACHED_TO_OUTAGE, then
   * STATUS_CHANGED); the others are refused with their reason. The caller holds the outage row.
   */
  async attach(tx: Tx, outage: AttachableOutage, numbers: string[], actor: Actor, now: Date): Promise<AttachAnswer> {
    const unique = [...new Set(numbers)].sort(); // locks in one order: two attaches never deadlock
    const rows = await tx.$queryRaw<(AttachCandidateRow & { number: string })[]>`
      SELECT number, unit_code AS "unitCode", kind, status, outage_id::text AS "outageId"
      FROM tickets WHERE number = ANY(${unique}::text[]) ORDER BY number FOR UPDATE`;
    const found = new Map(rows.map((r) => [r.number, r]));
    const refused: AttachAnswer['refused'] = [];
    const eligible: string[] = [];
    for (const number of unique) {
      const reason = attachRefusal(found.get(number), outage);
      if (reason) refused.push({ number, reason });
      else eligible.push(number);
    }
    if (eligible.length) await tx.$executeRaw(attachStatement(outage, eligible, actor, now));
    const order = new Map(numbers.map((n, i) => [n, i]));
    const byRequest = (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
    return { attached: eligible.sort(byRequest), refused: refused.sort((a, b) => byRequest(a.number, b.number)) };
  }

  /** R-O2 at creation: the named outage must be open, of the same unit, and the ticket an open Gangguan; else 409. */
  async outageForCreate(tx: Tx, outageId: string, draft: TicketDraft): Promise<AttachableOutage> {
    const outage = await this.outages.lockForAttach(tx, outageId);
    if (!outage) throw invalidTransition(`outageId: outage ${outageId} is not an open outage`);
    if (outage.unitCode !== draft.unitCode) throw invalidTransition(`outageId: outage ${outageId} is of unit ${outage.unitCode}, not ${draft.unitCode}`);
    if (draft.kind !== 'GANGGUAN') throw invalidTransition('outageId: only a Gangguan joins an outage (R-O2)');
    if (draft.status !== 'LAPOR') throw invalidTransition('outageId: an issue-closed report joins no outage (R-O2)');
    return outage;
  }

  /** The ticket just created in `tx`, attached to `outage` (R-O2), as it now is. */
  async attachCreated(tx: Tx, outage: AttachableOutage, ticket: Ticket, actor: Actor, now: Date): Promise<Ticket> {
    await tx.$executeRaw(attachStatement(outage, [ticket.number], actor, now));
    return (await tx.ticket.findUnique({ where: { number: ticket.number } })) as Ticket;
  }

  /** How many tickets each outage has (R-O2), and how many of them are open, by outage id. */
  async counts(db: Tx, outageIds: string[]): Promise<Map<string, { ticketCount: number; openTicketCount: number }>> {
    if (!outageIds.length) return new Map();
    const rows = await db.$queryRaw<{ id: string; total: number; open: number }[]>`
      SELECT outage_id::text AS id, count(*)::int AS total, count(*) FILTER (WHERE status = ANY(${OPEN_STATUSES}::"TicketStatus"[]))::int AS open
      FROM tickets WHERE outage_id = ANY(${outageIds}::uuid[]) GROUP BY outage_id`;
    return new Map(rows.map((r) => [r.id, { ticketCount: r.total, openTicketCount: r.open }]));
  }

  /** The tickets a status move still has to move (R-O3, the outage's `lastPropagation.pending`). */
  async pending(db: Tx, outageId: string, toStatus: TicketStatus, cursor: string): Promise<number> {
    const [row] = await db.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM tickets
      WHERE outage_id = ${outageId}::uuid AND number > ${cursor} AND status = ANY(${statusesBehind(toStatus)}::"TicketStatus"[])`;
    return row.n;
  }

  /**
   * R-O3: one batch of a move, in `tx`: the next `size` tickets of the outage after `move.cursor` (by
   * number) that still follow it are moved (a status move), or noted (an etr change, open tickets only),
   * each with its event. Returns how many, the last number reached (the move's next cursor), and whether
   * any ticket after it is still to be reached — asked, not inferred from a short batch: a row changed
   * concurrently (a unit's own move) drops out of a batch that was full.
   */
  async carryBatch(tx: Tx, move: MoveToCarry, size: number, now: Date): Promise<{ count: number; last: string | null; more: boolean }> {
    const [row] = await tx.$queryRaw<{ n: number; last: string | null }[]>(
      move.kind === 'STATUS' ? statusBatchStatement(move, size, now) : etrBatchStatement(move, size, now),
    );
    const statuses = move.kind === 'STATUS' ? statusesBehind(move.toStatus as TicketStatus) : OPEN_STATUSES;
    const [rest] = await tx.$queryRaw<{ more: boolean }[]>`
      SELECT EXISTS (SELECT 1 FROM tickets WHERE outage_id = ${move.outageId}::uuid AND number > ${row.last ?? move.cursor}
        AND status = ANY(${statuses}::"TicketStatus"[])) AS more`;
    return { count: row.n, last: row.last, more: rest.more };
  }
}

interface AttachCandidateRow {
  unitCode: string;
  kind: Ticket['kind'];
  status: TicketStatus;
  outageId: string | null;
}

function attachStatement(outage: AttachableOutage, numbers: string[], actor: Actor, now: Date): Prisma.Sql {
  const behind = statusesBehind(outage.status);
  const note = outageNote(outage.title);
  const at = Prisma.sql`greatest(t.last_event_at, ${now}::timestamptz)`;
  return Prisma.sql`
    WITH b AS (SELECT number, status AS before FROM tickets WHERE number = ANY(${numbers}::text[])),
    a AS (
      UPDATE tickets t SET outage_id = ${outage.id}::uuid,
        status = CASE WHEN b.before = ANY(${behind}::"TicketStatus"[]) THEN ${outage.status}::"TicketStatus" ELSE t.status END,
        responded_at = CASE WHEN b.before = ANY(${behind}::"TicketStatus"[]) THEN coalesce(t.responded_at, ${at}) ELSE t.responded_at END,
        nyala_at = CASE WHEN b.before = ANY(${behind}::"TicketStatus"[]) AND ${outage.status === 'NYALA_SEMENTARA'} THEN coalesce(t.nyala_at, ${at}) ELSE t.nyala_at END,
        over_sla = t.over_sla AND (${OPEN.has(outage.status)} OR NOT b.before = ANY(${behind}::"TicketStatus"[])),
        version = t.version + 1, updated_at = ${now}::timestamptz, last_event_at = ${at}
      FROM b WHERE t.number = b.number
      RETURNING t.number, b.before, t.status, t.last_event_at)
    INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
    SELECT number, 'ATTACHED_TO_OUTAGE', NULL, NULL, ${note}, ${actor.sub}, ${actor.role}, last_event_at, ${now}::timestamptz FROM a
    UNION ALL
    SELECT number, 'STATUS_CHANGED', before, status, ${note}, ${actor.sub}, ${actor.role}, last_event_at, ${now}::timestamptz FROM a WHERE status <> before`;
}

/** R-O3: one batch of a status move as one statement; the benchmark's raw-SQL baseline runs it too. */
export function statusBatchStatement(move: MoveToCarry, size: number, now: Date): Prisma.Sql {
  const to = move.toStatus as TicketStatus;
  const at = Prisma.sql`greatest(t.last_event_at, ${move.occurredAt}::timestamptz)`;
  return Prisma.sql`
    WITH due AS (
      SELECT number, status AS before FROM tickets
      WHERE outage_id = ${move.outageId}::uuid AND number > ${move.cursor} AND status = ANY(${statusesBehind(to)}::"TicketStatus"[])
      ORDER BY number LIMIT ${size}
      FOR UPDATE),
    moved AS (
      UPDATE tickets t SET ${movedColumns(to, at, move.unitAnswer, move.reason, now)}
      FROM due WHERE t.number = due.number
      RETURNING t.number, due.before, t.last_event_at),
    events AS (
      INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
      SELECT number, 'STATUS_CHANGED', before, ${to}::"TicketStatus", ${outageNote(move.title)}, ${move.actorSub}, ${move.actorRole}, last_event_at, ${now}::timestamptz
      FROM moved RETURNING ticket_number)
    SELECT count(*)::int AS n, max(ticket_number) AS last FROM events`;
}

function etrBatchStatement(move: MoveToCarry, size: number, now: Date): Prisma.Sql {
  return Prisma.sql`
    WITH due AS (
      SELECT number FROM tickets
      WHERE outage_id = ${move.outageId}::uuid AND number > ${move.cursor} AND status = ANY(${OPEN_STATUSES}::"TicketStatus"[])
      ORDER BY number LIMIT ${size}
      FOR UPDATE),
    noted AS (
      UPDATE tickets t SET version = t.version + 1, updated_at = ${now}::timestamptz,
        last_event_at = greatest(t.last_event_at, ${move.occurredAt}::timestamptz)
      FROM due WHERE t.number = due.number
      RETURNING t.number, t.last_event_at),
    events AS (
      INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
      SELECT number, 'OUTAGE_ETR_CHANGED', NULL, NULL, ${move.note}, ${move.actorSub}, ${move.actorRole}, last_event_at, ${now}::timestamptz
      FROM noted RETURNING ticket_number)
    SELECT count(*)::int AS n, max(ticket_number) AS last FROM events`;
}
