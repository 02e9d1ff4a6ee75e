import { Prisma } from '../../generated/prisma/client';
import { SYSTEM_ACTOR } from '../history';

/** R-J1's batch as one statement (claim the due rows, close them, write their events); the benchmark's SQL baseline runs it too. */
export function autoCloseStatement(now: Date, batch: number): Prisma.Sql {
  return Prisma.sql`
  WITH due AS (
    SELECT number FROM tickets
    WHERE status = 'SELESAI' AND confirmation_deadline <= ${now}
    ORDER BY confirmation_deadline LIMIT ${batch}
    FOR UPDATE SKIP LOCKED),
  closed AS (
    UPDATE tickets t SET status = 'DITUTUP', close_reason = 'NO_CONFIRMATION', closed_at = ${now},
      version = t.version + 1, updated_at = ${now}, last_event_at = greatest(t.last_event_at, ${now})
    FROM due, units u WHERE t.number = due.number AND u.code = t.unit_code
    RETURNING t.number, t.confirmation_deadline, u.time_zone),
  events AS (
    INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at,
      actor_name)
    SELECT number, 'AUTO_CLOSED', 'SELESAI', 'DITUTUP',
      'Pelanggan tidak konfirmasi sampai ' || local_time_text(confirmation_deadline, time_zone) || ': dianggap telah selesai ditindaklanjuti',
      ${SYSTEM_ACTOR.sub}, ${SYSTEM_ACTOR.role}, ${now}, ${now},
      ${SYSTEM_ACTOR.name ?? null}::text
    FROM closed RETURNING 1)
  SELECT count(*)::int AS n FROM events`;
}
