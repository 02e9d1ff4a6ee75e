import type { Client } from 'pg';

// The raw-SQL baseline of the auto-close job (R-J1): the statement of
// src/tickets/ticket-jobs.service.ts autoCloseBatch, sent directly in a loop of batches of 200 until a
// batch comes back short — what the job does in one run, without the service around it.
const AUTO_CLOSE_BATCH = `
  WITH due AS (
    SELECT number FROM tickets
    WHERE status = 'SELESAI' AND confirmation_deadline <= $1
    ORDER BY confirmation_deadline LIMIT $2
    FOR UPDATE SKIP LOCKED),
  closed AS (
    UPDATE tickets t SET status = 'DITUTUP', close_reason = 'NO_CONFIRMATION', closed_at = $1,
      version = t.version + 1, updated_at = $1, last_event_at = greatest(t.last_event_at, $1)
    FROM due WHERE t.number = due.number
    RETURNING t.number, t.confirmation_deadline),
  events AS (
    INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
    SELECT number, 'AUTO_CLOSED', 'SELESAI', 'DITUTUP',
      'Pelanggan tidak konfirmasi sampai ' || to_char(confirmation_deadline AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') || ': dianggap telah selesai ditindaklanjuti',
      'system', 'system', $1, $1
    FROM closed RETURNING 1)
  SELECT count(*)::int AS n FROM events`;

export const BATCH = 200;

/** One run of the auto-close job in raw SQL; returns how many tickets it closed. */
export async function sqlAutoCloseRun(client: Client, now: Date): Promise<number> {
  let total = 0;
  for (;;) {
    const n = (await client.query<{ n: number }>(AUTO_CLOSE_BATCH, [now, BATCH])).rows[0].n;
    total += n;
    if (n < BATCH) return total;
  }
}
