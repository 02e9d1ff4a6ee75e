import { Prisma } from '../generated/prisma/client';
import type { Period } from './report-query';
import { nodeRows, rollUpGroups, ulpsOf } from '../units/roll-up.sql';

// The SQL of the reports (DOMAIN.md §13), each figure once; docs/reports.md quotes it. Every statement
// takes a Period and the same unit windows: the units in scope with their period as [lo, hi) in UTC,
// from local midnight of `from` to local midnight after `to` in each unit's time zone, so a ticket
// belongs to the day of its reportedAt where the unit is (R-M2). The benchmark runs these statements
// as the raw-SQL baseline. R-H3: the units in scope are ULPs; a report asked for a UP3 or UID adds the
// node's row, grouped over the union of its ULPs' tickets (src/units/roll-up.sql.ts).

/** The units in scope and each one's [lo, hi); the tickets are read by tickets_unit_code_reported_at_idx. */
const unitWindows = (p: Period) => Prisma.sql`
  u AS (
    SELECT code, name, parent_code, time_zone, ${p.from}::date::timestamp AT TIME ZONE time_zone AS lo,
      (${p.to}::date + 1)::timestamp AT TIME ZONE time_zone AS hi
    FROM units WHERE ${ulpsOf(p)} ORDER BY parent_code, code),
  n AS (
    SELECT code, name, 0 AS rank FROM u UNION ALL ${nodeRows(p)})`;

const receivedIn = Prisma.sql`t.unit_code = u.code AND t.reported_at >= u.lo AND t.reported_at < u.hi`;

/**
 * FROM-clause of the tickets received in each unit's window, `t` beside its unit `u`. For the ULPs of
 * one unit (itself, or those beneath a UP3 or UID), a LATERAL range of tickets_unit_code_reported_at_idx
 * each. For all units, one range of the period over
 * tickets_reported_at_idx (BRIN: tickets arrive in reportedAt order), joined to the units: the units'
 * tickets share pages, so one pass over the period's pages beats a range per unit that revisits each
 * page once per unit.
 */
const received = (p: Period) =>
  p.units
    ? Prisma.sql`u CROSS JOIN LATERAL (SELECT * FROM tickets t WHERE ${receivedIn} OFFSET 0) t`
    : Prisma.sql`u JOIN tickets t ON ${receivedIn}
        AND t.reported_at >= (SELECT min(lo) FROM u) AND t.reported_at < (SELECT max(hi) FROM u)`;

/**
 * Re-reports (§4) by treatment and the time they were made. Update Lapor and Lapor Melebihi SLA leave
 * an event on the ticket they counted on (read through ticket_events_re_report_idx); the treatments
 * that make a ticket name themselves in its CREATED event ("<TREATMENT> (<rule>) dari <number>").
 */
const reReports = (p: Period) => Prisma.sql`
  rr AS (
    SELECT u.code AS unit_code, u.parent_code AS up3, u.time_zone, e.occurred_at AS at, e.type AS treatment
    FROM ticket_events e
    JOIN tickets t ON t.number = e.ticket_number
    JOIN u ON u.code = t.unit_code AND e.occurred_at >= u.lo AND e.occurred_at < u.hi
    WHERE e.type IN ('UPDATE_LAPOR', 'LAPOR_MELEBIHI_SLA')
      AND e.occurred_at >= (SELECT min(lo) FROM u) AND e.occurred_at < (SELECT max(hi) FROM u)
    UNION ALL
    SELECT u.code, u.parent_code, u.time_zone, t.reported_at, split_part(e.note, ' ', 1)
    FROM ${received(p)}
    JOIN ticket_events e ON e.ticket_number = t.number AND e.type = 'CREATED'
    WHERE (t.previous_number IS NOT NULL OR t.reference_number IS NOT NULL) AND e.note ~ '^(LAPOR_ULANG|LAPORAN_BARU|ISSUE_CLOSED|LAPOR_ULANG_LISTRIQU) \\(R-')`;

/** Nearest-rank percentile of an interval, in minutes (percentile_disc: the first value at or past the fraction). */
const minutes = (fraction: number, interval: Prisma.Sql) =>
  Prisma.sql`(extract(epoch FROM percentile_disc(${fraction}::float8) WITHIN GROUP (ORDER BY ${interval})) / 60)::float8`;
const hours = (fraction: number, interval: Prisma.Sql) =>
  Prisma.sql`(extract(epoch FROM percentile_disc(${fraction}::float8) WITHIN GROUP (ORDER BY ${interval})) / 3600)::float8`;

export interface UnitRow {
  unitCode: string;
  unitName: string;
  gangguan: number;
  keluhan: number;
  cc123: number;
  plnMobile: number;
  other: number;
  received: number;
  openNow: number;
  overSlaNow: number;
  breached: number;
  responded: number;
  respondedWithinSla: number;
  respondP50: number | null;
  respondP90: number | null;
  resolveP50: number | null;
  resolveP90: number | null;
  jumlahLaporMelebihiSla: number;
  updateCount: number;
  confirmed: number;
  noConfirmation: number;
  reReported: number;
  issueClosed: number;
  autoTransfers: number;
  ratingCount: number;
  ratingMean: number | null;
  reReports: Record<string, number> | null;
}

/** R-M2: one row per unit in scope (units without tickets too), ordered by unit code. */
export const unitReportStatement = (p: Period) => Prisma.sql`
  WITH ${unitWindows(p)}, ${reReports(p)},
  rt AS (
    SELECT unit_code, jsonb_object_agg(treatment, n) AS re_reports
    FROM (SELECT ${rollUpGroups(p, Prisma.sql`unit_code`, [Prisma.sql`treatment`], Prisma.sql`up3`).key} AS unit_code, treatment, count(*)::int AS n
      FROM rr GROUP BY ${rollUpGroups(p, Prisma.sql`unit_code`, [Prisma.sql`treatment`], Prisma.sql`up3`).groupBy}) x GROUP BY unit_code),
  a AS (
    SELECT ${rollUpGroups(p, Prisma.sql`u.code`, [], Prisma.sql`u.parent_code`).key} AS unit_code,
      count(*) FILTER (WHERE t.kind = 'GANGGUAN')::int AS gangguan,
      count(*) FILTER (WHERE t.kind = 'KELUHAN')::int AS keluhan,
      count(*) FILTER (WHERE t.channel = 'CC123')::int AS cc123,
      count(*) FILTER (WHERE t.channel = 'PLN_MOBILE')::int AS "plnMobile",
      count(*) FILTER (WHERE t.channel = 'OTHER')::int AS other,
      count(*)::int AS received,
      count(*) FILTER (WHERE t.status IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES'))::int AS "openNow",
      count(*) FILTER (WHERE t.over_sla)::int AS "overSlaNow",
      count(t.sla_breached_at)::int AS breached,
      count(t.responded_at)::int AS responded,
      count(*) FILTER (WHERE t.responded_at < t.sla_deadline)::int AS "respondedWithinSla",
      ${minutes(0.5, Prisma.sql`t.responded_at - t.reported_at`)} AS "respondP50",
      ${minutes(0.9, Prisma.sql`t.responded_at - t.reported_at`)} AS "respondP90",
      ${minutes(0.5, Prisma.sql`t.resolved_at - t.reported_at`)} AS "resolveP50",
      ${minutes(0.9, Prisma.sql`t.resolved_at - t.reported_at`)} AS "resolveP90",
      coalesce(sum(t.jumlah_lapor_melebihi_sla), 0)::int AS "jumlahLaporMelebihiSla",
      coalesce(sum(t.update_count), 0)::int AS "updateCount",
      count(*) FILTER (WHERE t.close_reason = 'CONFIRMED')::int AS confirmed,
      count(*) FILTER (WHERE t.close_reason = 'NO_CONFIRMATION')::int AS "noConfirmation",
      count(*) FILTER (WHERE t.close_reason = 'RE_REPORTED')::int AS "reReported",
      count(*) FILTER (WHERE t.status = 'ISSUE_CLOSED')::int AS "issueClosed",
      count(*) FILTER (WHERE t.cancel_reason = 'AUTO_TRANSFER')::int AS "autoTransfers",
      count(t.rating_score)::int AS "ratingCount",
      avg(t.rating_score)::float8 AS "ratingMean"
    FROM ${received(p)} GROUP BY ${rollUpGroups(p, Prisma.sql`u.code`, [], Prisma.sql`u.parent_code`).groupBy})
  SELECT n.code AS "unitCode", n.name AS "unitName", a.*, rt.re_reports AS "reReports"
  FROM n LEFT JOIN a ON a.unit_code = n.code LEFT JOIN rt ON rt.unit_code = n.code
  ORDER BY n.rank, n.code`;

export interface IndicatorRow {
  unitCode: string;
  responseMean: number | null;
  responseP90: number | null;
  responseCount: number;
  outageMean: number | null;
  outageP90: number | null;
  outageCount: number;
}

/** R-M3: Gangguan received in the month, per unit in scope. */
export const indicatorStatement = (p: Period) => Prisma.sql`
  WITH ${unitWindows(p)},
  a AS (
    SELECT ${rollUpGroups(p, Prisma.sql`u.code`, [], Prisma.sql`u.parent_code`).key} AS unit_code,
      (avg(extract(epoch FROM t.responded_at - t.reported_at)) / 3600)::float8 AS "responseMean",
      ${hours(0.9, Prisma.sql`t.responded_at - t.reported_at`)} AS "responseP90",
      count(t.responded_at)::int AS "responseCount",
      (avg(extract(epoch FROM t.nyala_at - t.reported_at)) / 3600)::float8 AS "outageMean",
      ${hours(0.9, Prisma.sql`t.nyala_at - t.reported_at`)} AS "outageP90",
      count(t.nyala_at)::int AS "outageCount"
    FROM ${received(p)} WHERE t.kind = 'GANGGUAN' GROUP BY ${rollUpGroups(p, Prisma.sql`u.code`, [], Prisma.sql`u.parent_code`).groupBy})
  SELECT n.code AS "unitCode", a.*
  FROM n LEFT JOIN a ON a.unit_code = n.code
  ORDER BY n.rank, n.code`;

export interface DailyRow {
  date: string;
  unitCode: string;
  received: number;
  resolved: number;
  breached: number;
  reReports: number;
}

/** R-M4: every day of the period for every unit in scope (zeros included, for a chart). */
export const dailyStatement = (p: Period) => Prisma.sql`
  WITH ${unitWindows(p)}, ${reReports(p)},
  d AS (
    SELECT n.code AS unit_code, n.rank, to_char(day, 'YYYY-MM-DD') AS date
    FROM n, generate_series(${p.from}::date, ${p.to}::date, interval '1 day') AS day),
  rd AS (
    SELECT ${dailyGroups(p, Prisma.sql`t.unit_code`, Prisma.sql`t.reported_at AT TIME ZONE u.time_zone`, Prisma.sql`u.parent_code`).key} AS unit_code,
      to_char(t.reported_at AT TIME ZONE u.time_zone, 'YYYY-MM-DD') AS date,
      count(*)::int AS received, count(t.resolved_at)::int AS resolved, count(t.sla_breached_at)::int AS breached
    FROM ${received(p)} GROUP BY ${dailyGroups(p, Prisma.sql`t.unit_code`, Prisma.sql`t.reported_at AT TIME ZONE u.time_zone`, Prisma.sql`u.parent_code`).groupBy}),
  rrd AS (
    SELECT ${dailyGroups(p, Prisma.sql`unit_code`, Prisma.sql`at AT TIME ZONE time_zone`, Prisma.sql`up3`).key} AS unit_code,
      to_char(at AT TIME ZONE time_zone, 'YYYY-MM-DD') AS date, count(*)::int AS n
    FROM rr GROUP BY ${dailyGroups(p, Prisma.sql`unit_code`, Prisma.sql`at AT TIME ZONE time_zone`, Prisma.sql`up3`).groupBy})
  SELECT d.date, d.unit_code AS "unitCode", coalesce(rd.received, 0) AS received, coalesce(rd.resolved, 0) AS resolved,
    coalesce(rd.breached, 0) AS breached, coalesce(rrd.n, 0) AS "reReports"
  FROM d LEFT JOIN rd USING (unit_code, date) LEFT JOIN rrd USING (unit_code, date)
  ORDER BY d.rank, d.unit_code, d.date`;

/** R-H3: daily rows per ULP and day, plus the node's (and a UID's UP3s') per day (the day of each ticket where its ULP is). */
function dailyGroups(p: Period, unit: Prisma.Sql, localTime: Prisma.Sql, up3: Prisma.Sql) {
  return rollUpGroups(p, unit, [Prisma.sql`to_char(${localTime}, 'YYYY-MM-DD')`], up3);
}
