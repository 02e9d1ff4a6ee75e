import type { Client } from 'pg';

// A year of finished and open tickets for the reports (scenario 7), straight into the tables with
// generate_series: `count` tickets evenly over 12 months of 2026 across `units` units (codes from 100),
// with the R-M1 facts the service would have written, ratings, Update Lapor events on every 20th ticket
// and an escalation on every 50th. Numbers use the year 2026 and the units' own sequence space.
export const REPORT_YEAR_START = '2025-12-01T00:00:00+07:00';

export async function seedReportTickets(client: Client, count: number, units: number, progress?: (done: number) => void): Promise<void> {
  const chunk = 250_000;
  const spreadMs = 365 * 86_400_000;
  for (let from = 0; from < count; from += chunk) {
    const to = Math.min(count, from + chunk);
    await client.query(
      `WITH base AS (
         SELECT i, (100 + i % $3)::text AS unit, $4::timestamptz + (i::float8 * $5 / $6) * interval '1 millisecond' AS reported,
           i % 5 = 0 AS keluhan, (i % 240) AS respond_min, (30 + i % 300) AS nyala_min, (60 + i % 600) AS resolve_min
         FROM generate_series($1::int, $2::int - 1) AS i)
       INSERT INTO tickets (number, kind, unit_code, channel, status, customer_name, customer_phone, problem_type, description,
         reported_at, sla_deadline, over_sla, confirmation_window_minutes, resolved_at, closed_at, close_reason, cancel_reason,
         update_count, jumlah_lapor_melebihi_sla, responded_at, nyala_at, sla_breached_at, rating_score, rated_at,
         last_event_at, version, created_at, updated_at)
       SELECT CASE WHEN keluhan THEN 'K' ELSE 'G' END || unit || '2026' || lpad((i / $3 + 1)::text, 6, '0'),
         CASE WHEN keluhan THEN 'KELUHAN' ELSE 'GANGGUAN' END::"TicketKind", unit,
         (ARRAY['CC123', 'CC123', 'CC123', 'PLN_MOBILE', 'PLN_MOBILE', 'OTHER'])[1 + i % 6]::"Channel",
         CASE WHEN i % 97 = 0 THEN 'PENUGASAN' WHEN i % 31 = 0 THEN 'BATAL' WHEN i % 53 = 0 THEN 'ISSUE_CLOSED' ELSE 'DITUTUP' END::"TicketStatus",
         'Pelanggan ' || i, '0812' || lpad((i % 100000000)::text, 8, '0'),
         CASE WHEN keluhan THEN 'TAGIHAN' ELSE 'PADAM_1_RUMAH' END, 'Listrik padam satu rumah sejak pagi',
         reported, reported + interval '180 minutes', i % 97 = 0 AND resolve_min > 180, 1440,
         reported + resolve_min * interval '1 minute', reported + (resolve_min + 600) * interval '1 minute',
         CASE WHEN i % 97 = 0 OR i % 31 = 0 OR i % 53 = 0 THEN NULL WHEN i % 3 = 0 THEN 'CONFIRMED' WHEN i % 11 = 0 THEN 'RE_REPORTED' ELSE 'NO_CONFIRMATION' END::"CloseReason",
         CASE WHEN i % 31 = 0 AND i % 97 <> 0 THEN CASE WHEN i % 2 = 0 THEN 'AUTO_TRANSFER' ELSE 'Pelanggan membatalkan' END END,
         CASE WHEN i % 20 = 0 THEN 1 ELSE 0 END, CASE WHEN i % 40 = 0 THEN 1 ELSE 0 END,
         CASE WHEN i % 53 = 0 THEN NULL ELSE reported + respond_min * interval '1 minute' END,
         CASE WHEN keluhan OR i % 53 = 0 THEN NULL ELSE reported + nyala_min * interval '1 minute' END,
         CASE WHEN resolve_min > 180 AND i % 53 <> 0 THEN reported + interval '180 minutes' END,
         CASE WHEN i % 10 = 0 THEN 1 + i % 5 END, CASE WHEN i % 10 = 0 THEN reported + interval '1 day' END,
         reported + (resolve_min + 600) * interval '1 minute', 4, reported, reported + (resolve_min + 600) * interval '1 minute'
       FROM base`,
      [from, to, units, REPORT_YEAR_START, spreadMs, count],
    );
    await client.query(
      `INSERT INTO ticket_events (ticket_number, type, note, actor_sub, actor_role, occurred_at, recorded_at)
       SELECT number, 'UPDATE_LAPOR', 'Pelanggan melapor kembali', 'bench', 'cso', reported_at + interval '30 minutes', reported_at + interval '30 minutes'
       FROM tickets WHERE update_count = 1 AND number IN (
         SELECT CASE WHEN i % 5 = 0 THEN 'K' ELSE 'G' END || (100 + i % $3)::text || '2026' || lpad((i / $3 + 1)::text, 6, '0')
         FROM generate_series($1::int, $2::int - 1) AS i WHERE i % 20 = 0)`,
      [from, to, units],
    );
    await client.query(
      `INSERT INTO escalations (id, category, status, ticket_number, note, created_at, done_at, done_note)
       SELECT gen_random_uuid(), (ARRAY['LAPOR_ULANG', 'LAPORAN_MELEBIHI_SLA', 'URGENT']::"EscalationCategory"[])[1 + (i / 50) % 3], 'DONE',
         CASE WHEN i % 5 = 0 THEN 'K' ELSE 'G' END || (100 + i % $3)::text || '2026' || lpad((i / $3 + 1)::text, 6, '0'), 'bench',
         $4::timestamptz + (i::float8 * $5 / $6) * interval '1 millisecond',
         $4::timestamptz + (i::float8 * $5 / $6) * interval '1 millisecond' + (10 + i % 120) * interval '1 minute', 'selesai'
       FROM generate_series($1::int, $2::int - 1) AS i WHERE i % 50 = 0`,
      [from, to, units, REPORT_YEAR_START, spreadMs, count],
    );
    progress?.(to);
  }
}
