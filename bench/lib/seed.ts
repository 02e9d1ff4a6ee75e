import type { Client } from 'pg';

// Bulk rows straight into the tables with generate_series (as test/support/seed.ts does), for the job
// scenarios: creating a million tickets over HTTP would take longer than the whole benchmark. Numbers
// use the year 2025, which the HTTP scenarios never reach, and 50 units from '100' on.
const COLUMNS = `number, kind, unit_code, channel, status, customer_name, customer_phone, customer_id_pel, customer_address,
  customer_province, problem_type, sub_type, wo_type, description, urgent, reported_at, sla_deadline, over_sla,
  confirmation_window_minutes, resolved_at, unit_answer, confirmation_deadline, closed_at, close_reason, last_event_at,
  version, created_at, updated_at`;

export const UNITS = 50;

/**
 * Tickets i = from..to-1, every `dueEvery`-th one SELESAI with its confirmation deadline at `deadline(i)`
 * (SQL over i), the rest DITUTUP (confirmed or closed without confirmation).
 */
async function insertFinished(client: Client, from: number, to: number, dueEvery: number, deadlineSql: string, at: Date, stepMs = 0): Promise<void> {
  await client.query(
    `WITH base AS (
       SELECT i, (100 + i % $3)::text AS unit, i % $4 = 0 AS due, ${deadlineSql} AS deadline
       FROM generate_series($1::int, $2::int - 1) AS i, (SELECT $5::timestamptz AS at, $6::float8 AS step_ms) AS p),
     rows AS (
       SELECT *, CASE WHEN due THEN NULL WHEN i % 3 = 0 THEN deadline - (i % 600) * interval '1 minute' ELSE deadline END AS closed
       FROM base)
     INSERT INTO tickets (${COLUMNS})
     SELECT 'G' || unit || '2025' || lpad((i / $3 + 1)::text, 6, '0'), 'GANGGUAN', unit, 'CC123',
       CASE WHEN due THEN 'SELESAI' ELSE 'DITUTUP' END::"TicketStatus",
       'Pelanggan ' || i, '0812' || lpad((i % 100000000)::text, 8, '0'), (510000000000 + i)::text,
       'Jl. Merdeka No. ' || (1 + i % 250), 'JAWA BARAT', 'PADAM_1_RUMAH', NULL, 'AUTODISPATCH',
       'Listrik padam satu rumah sejak pagi', false,
       deadline - interval '1 day 3 hours', deadline - interval '1 day', false, 1440,
       deadline - interval '1 day', 'Sudah normal kembali setelah penggantian MCB', deadline,
       closed,
       CASE WHEN due THEN NULL WHEN i % 3 = 0 THEN 'CONFIRMED' ELSE 'NO_CONFIRMATION' END::"CloseReason",
       coalesce(closed, deadline - interval '1 day'), CASE WHEN due THEN 3 ELSE 4 END,
       deadline - interval '1 day 3 hours', coalesce(closed, deadline - interval '1 day')
     FROM rows`,
    [from, to, UNITS, dueEvery, at, stepMs],
  );
}

/** `count` finished tickets of which every `dueEvery`-th is SELESAI and due (deadline up to a day before `now`). */
export async function seedFinished(client: Client, count: number, dueEvery: number, now: Date, progress?: (done: number) => void): Promise<void> {
  const chunk = 100_000;
  for (let from = 0; from < count; from += chunk) {
    await insertFinished(client, from, Math.min(count, from + chunk), dueEvery, `at - interval '1 minute' - (i % 1440) * interval '1 minute'`, now);
    progress?.(Math.min(count, from + chunk));
  }
}

/** `count` SELESAI tickets whose confirmation windows end evenly spread over [start, start + spreadMs). */
export async function seedWindows(client: Client, count: number, start: Date, spreadMs: number): Promise<void> {
  await insertFinished(client, 0, count, 1, `at + (i * step_ms) * interval '1 millisecond'`, start, spreadMs / count);
}
