import { escalationAggregateStatement } from '../../src/escalation/escalation.repository';
import type { Period } from '../../src/reports/report-query';
import { unitReportStatement } from '../../src/reports/reports.sql';
import { type Bench, fmt, ratio, type Row, scaled } from '../lib/context';
import { insertUnits, toQuery, withClient } from '../lib/database';
import { call, token } from '../lib/load';
import { seedReportTickets } from '../lib/seed-reports';
import { withService } from '../lib/service';
import { timed } from '../lib/stats';

// Scenario 7 (issue 17): the unit report (R-M2) over a year of tickets — 5M over 12 months and 500 units
// at full size. Two questions: one month for all units, and one unit for 12 months. Each is timed over
// HTTP (GET /api/v1/reports/units, the JSON answer) against the very statements the service runs, in
// raw SQL on the same database in the same run (the tickets aggregate and the escalation aggregate);
// each figure is the median of RUNS runs after one warm-up run.
const S7 = '7 Reports';
const RUNS = 5;


export async function reports(bench: Bench): Promise<Row[]> {
  const tickets = scaled(bench, 5_000_000, 20_000);
  const units = scaled(bench, 500, 5);
  const url = await bench.server.fresh('reports');
  const codes = Array.from({ length: units }, (_, i) => String(100 + i));
  await insertUnits(url, codes);
  const started = Date.now();
  await withClient(url, async (c) => {
    await seedReportTickets(c, tickets, units, (done) => tickets >= 1_000_000 && bench.log(`reports: ${fmt(done)} of ${fmt(tickets)} tickets inserted`));
    await c.query('VACUUM ANALYZE tickets, ticket_events, escalations');
  });
  bench.log(`reports: ${fmt(tickets)} tickets over 12 months, ${fmt(units)} units, seeded in ${fmt((Date.now() - started) / 1000, 1)} s`);

  const month: Period = { from: '2026-06-01', to: '2026-06-30', unitCode: null, units: null, rollUp: null };
  const year: Period = { from: '2025-12-01', to: '2026-11-30', unitCode: codes[0], units: [codes[0]], rollUp: null };
  // as the service does: the tickets statement and the escalation aggregate at once, on two connections
  const sqlSeconds = (p: Period) =>
    withClient(url, (tickets) =>
      withClient(url, (escalations) =>
        timed(RUNS, async () => {
          await Promise.all([tickets.query(toQuery(unitReportStatement(p))), escalations.query(toQuery(escalationAggregateStatement(p, false)))]);
        }),
      ),
    );
  const sqlMonth = await sqlSeconds(month);
  const sqlYear = await sqlSeconds(year);

  const { httpMonth, httpYear, rows } = await withService(bench, { databaseUrl: url, jobs: false, name: 'reports' }, async (service) => {
    const admin = await token(bench, 'admin');
    let rows = 0;
    const get = (p: Period) => async () => {
      const answer = await call(service, 'GET', `/api/v1/reports/units?from=${p.from}&to=${p.to}${p.unitCode ? `&unitCode=${p.unitCode}` : ''}`, admin);
      if (answer.status !== 200) throw new Error(`GET /reports/units: ${answer.status} ${answer.body.slice(0, 200)}`);
      rows = (JSON.parse(answer.body) as { items: unknown[] }).items.length;
    };
    const httpMonth = await timed(RUNS, get(month));
    const monthRows = rows;
    const httpYear = await timed(RUNS, get(year));
    // one real report of the seeded month, as a supervisor downloads it (issue 17 asks to show one)
    const csv = await call(service, 'GET', `/api/v1/reports/units?from=${month.from}&to=${month.to}`, admin, undefined, { accept: 'text/csv' });
    if (csv.status !== 200) throw new Error(`GET /reports/units as CSV: ${csv.status} ${csv.body.slice(0, 200)}`);
    const lines = csv.body.trim().split('\n');
    bench.notes.push(`7 Reports: the CSV of June for all units, first 3 of ${fmt(lines.length - 1)} rows: \`${lines.slice(0, 4).join(' ⏎ ')}\``);
    return { httpMonth, httpYear, rows: monthRows };
  });
  await bench.server.drop('reports');
  if (rows !== units) throw new Error(`the all-units report had ${rows} rows, expected ${units}`);

  return [
    { scenario: S7, metric: `unit report, June, all ${fmt(units)} units (${fmt(tickets)} tickets in 12 months)`, value: `${fmt(httpMonth * 1000)} ms`, baseline: `${fmt(sqlMonth * 1000)} ms (same SQL)`, ratio: ratio(httpMonth, sqlMonth), target: '≤ 1.5× and < 2 s', met: httpMonth <= 1.5 * sqlMonth && httpMonth < 2 },
    { scenario: S7, metric: 'unit report, one unit, 12 months', value: `${fmt(httpYear * 1000)} ms`, baseline: `${fmt(sqlYear * 1000)} ms (same SQL)`, ratio: ratio(httpYear, sqlYear), target: '≤ 1.5×', met: httpYear <= 1.5 * sqlYear },
  ];
}
