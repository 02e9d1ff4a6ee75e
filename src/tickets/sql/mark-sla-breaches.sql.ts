import { Prisma } from '../../generated/prisma/client';
import { SYSTEM_ACTOR } from '../history';
import { OPEN_STATUSES_SQL } from './open-statuses.sql';

/**
 * R-J3's batch as one statement: claim the open tickets whose SLA deadline is at or before now, mark them
 * overSla with R-M1's slaBreachedAt, a new version, updatedAt and lastEventAt, and write their events.
 */
export function markSlaBreachesStatement(now: Date, batch: number): Prisma.Sql {
  return Prisma.sql`
    WITH due AS (
      SELECT number FROM tickets
      WHERE over_sla = false AND status IN ${OPEN_STATUSES_SQL} AND sla_deadline <= ${now}
      ORDER BY sla_deadline LIMIT ${batch}
      FOR UPDATE SKIP LOCKED),
    marked AS (
      UPDATE tickets t SET over_sla = true, sla_breached_at = coalesce(t.sla_breached_at, t.sla_deadline),
        version = t.version + 1, updated_at = ${now}, last_event_at = greatest(t.last_event_at, ${now})
      FROM due, units u WHERE t.number = due.number AND u.code = t.unit_code
      RETURNING t.number, t.status, t.sla_deadline, u.time_zone),
    events AS (
      INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at,
        actor_name)
      SELECT number, 'SLA_BREACHED', NULL, NULL,
        'Melebihi SLA: batas waktu ' || local_time_text(sla_deadline, time_zone),
        ${SYSTEM_ACTOR.sub}, ${SYSTEM_ACTOR.role}, ${now}, ${now},
        ${SYSTEM_ACTOR.name ?? null}::text
      FROM marked RETURNING 1)
    SELECT count(*)::int AS n FROM events`;
}
