import { Prisma } from '../../generated/prisma/client';
import type { TicketStatus } from '../../generated/prisma/enums';
import type { Actor } from '../history';
import type { AttachableOutage, MoveToCarry } from '../outage-port';
import { OPEN } from '../rules/lifecycle.rule';
import { outageNote, statusesBehind } from '../rules/outage.rule';

// The set-based statements of mass outages on the tickets (R-O2, R-O3): each changes its tickets and
// writes their events in one statement, with version, updatedAt and lastEventAt as TicketsService.change.

export const OPEN_STATUSES = [...OPEN];

/**
 * The ticket columns a move to `to` at the time `at` sets, with the same facts as a unit's own move
 * (R-T5 resolvedAt and unitAnswer, R-C1 window, R-T4 BATAL reason, R-S2 overSla, R-M1 respondedAt,
 * nyalaAt and slaBreachedAt: stored-facts.rule.ts's factsOfMove in SQL). `at` is an SQL expression: each ticket's own event time.
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
    sla_breached_at = coalesce(t.sla_breached_at, CASE WHEN ${!OPEN.has(to)} AND ${at} >= t.sla_deadline THEN t.sla_deadline END),
    over_sla = t.over_sla AND ${OPEN.has(to)},
    version = t.version + 1, updated_at = ${now}::timestamptz, last_event_at = ${at}`;
}

export function attachStatement(outage: AttachableOutage, numbers: string[], actor: Actor, now: Date): Prisma.Sql {
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
    INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at,
      actor_name)
    SELECT number, 'ATTACHED_TO_OUTAGE', NULL, NULL, ${note}, ${actor.sub}, ${actor.role}, last_event_at, ${now}::timestamptz,
      ${actor.name ?? null}::text FROM a
    UNION ALL
    SELECT number, 'STATUS_CHANGED', before, status, ${note}, ${actor.sub}, ${actor.role}, last_event_at, ${now}::timestamptz,
      ${actor.name ?? null}::text FROM a WHERE status <> before`;
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
      INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at,
        actor_name)
      SELECT number, 'STATUS_CHANGED', before, ${to}::"TicketStatus", ${outageNote(move.title)}, ${move.actorSub}, ${move.actorRole}, last_event_at, ${now}::timestamptz,
        ${move.actorName}::text
      FROM moved RETURNING ticket_number)
    SELECT count(*)::int AS n, max(ticket_number) AS last FROM events`;
}

/** R-O3: one batch of an etr change, noted on the outage's open tickets. */
export function etrBatchStatement(move: MoveToCarry, size: number, now: Date): Prisma.Sql {
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
      INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at,
        actor_name)
      SELECT number, 'OUTAGE_ETR_CHANGED', NULL, NULL, ${move.note}, ${move.actorSub}, ${move.actorRole}, last_event_at, ${now}::timestamptz,
        ${move.actorName}::text
      FROM noted RETURNING ticket_number)
    SELECT count(*)::int AS n, max(ticket_number) AS last FROM events`;
}
