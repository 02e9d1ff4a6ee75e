import { escalationAggregateStatement } from '../../src/escalation/escalation.repository';
import type { Period } from '../../src/reports/report-query';
import { unitReportStatement } from '../../src/reports/reports.sql';
import { type Bench, fmt, ratio, type Row, scaled } from '../lib/context';
import { toQuery, withClient } from '../lib/database';
import { call, token } from '../lib/load';
import { seedReportTickets } from '../lib/seed-reports';
import { withService } from '../lib/service';
import { timed } from '../lib/stats';

// Scenario 14 (issue 26): a UID's month report (R-H3) over 5M tickets in 100 ULPs at full size — one
// UID, 10 UP3s of 10 ULPs each, tickets spread over 12 months as in scenario 7. The report answers 100
// ULP rows and the UID's row. Timed over HTTP (GET /api/v1/reports/units?unitCode=<UID>)
// against the very statements the service runs, in raw SQL on the same database in the same run; the
// plan of the tickets statement is checked too: index scans of tickets only, and no sort spilled to disk.
const S14 = '19 UID report';
const RUNS = 5;
const UID = '11';


interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Sort Space Type'?: string;
  'Sort Space Used'?: number;
  Plans?: PlanNode[];
}
const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

export async function uidReport(bench: Bench): Promise<Row[]> {
  const tickets = scaled(bench, 5_000_000, 20_000);
  const url = await bench.server.fresh('uidreport');
  const up3s = Array.from({ length: 10 }, (_, i) => `${UID}${String(i + 1).padStart(2, '0')}`);
  const ulps = Array.from({ length: 100 }, (_, i) => String(100 + i));
  const started = Date.now();
  await withClient(url, async (c) => {
    await c.query(
      `INSERT INTO units (code, name, time_zone, level, parent_code, created_at, updated_at)
       SELECT $1, 'UID ' || $1, 'Asia/Jakarta', 'UID'::"UnitLevel", NULL, now(), now()
       UNION ALL SELECT code, 'UP3 ' || code, 'Asia/Jakarta', 'UP3'::"UnitLevel", $1, now(), now() FROM unnest($2::text[]) AS code
       UNION ALL SELECT code, 'ULP ' || code, 'Asia/Jakarta', 'ULP'::"UnitLevel", ($2::text[])[1 + (code::int - 100) / 10], now(), now() FROM unnest($3::text[]) AS code`,
      [UID, up3s, ulps],
    );
    await seedReportTickets(c, tickets, ulps.length, (done) => tickets >= 1_000_000 && bench.log(`uid report: ${fmt(done)} of ${fmt(tickets)} tickets inserted`));
    await c.query('VACUUM ANALYZE tickets, ticket_events, escalations, units');
  });
  bench.log(`uid report: ${fmt(tickets)} tickets over 12 months in ${ulps.length} ULPs, seeded in ${fmt((Date.now() - started) / 1000, 1)} s`);

  const month: Period = { from: '2026-06-01', to: '2026-06-30', unitCode: UID, units: ulps, rollUp: UID };
  const plan = await withClient(url, async (c) => {
    const statement = unitReportStatement(month);
    const answer = await c.query<{ 'QUERY PLAN': { Plan: PlanNode }[] }>({ text: `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${statement.text}`, values: statement.values as unknown[] });
    return nodesOf(answer.rows[0]['QUERY PLAN'][0].Plan);
  });
  const spilled = plan.filter((n) => n['Sort Space Type'] === 'Disk');
  const seqScans = plan.filter((n) => n['Node Type'] === 'Seq Scan' && n['Relation Name'] === 'tickets');
  const sorts = plan.filter((n) => n['Node Type'] === 'Sort' || n['Node Type'] === 'Incremental Sort');
  bench.log(`uid report plan: ${sorts.length} sorts (${spilled.map((n) => `${n['Sort Space Used']} kB on disk`).join(', ') || 'none on disk'}), ${seqScans.length} sequential scans of tickets`);

  const sqlSeconds = await withClient(url, (t) =>
    withClient(url, (e) =>
      timed(RUNS, async () => {
        await Promise.all([t.query(toQuery(unitReportStatement(month))), e.query(toQuery(escalationAggregateStatement(month, false)))]);
      }),
    ),
  );
  const { httpSeconds, rows, lists } = await withService(bench, { databaseUrl: url, jobs: false, name: 'uid-report' }, async (service) => {
    const admin = await token(bench, 'admin');
    let rows: string[] = [];
    const httpSeconds = await timed(RUNS, async () => {
      const answer = await call(service, 'GET', `/api/v1/reports/units?from=${month.from}&to=${month.to}&unitCode=${UID}`, admin);
      if (answer.status !== 200) throw new Error(`GET /reports/units: ${answer.status} ${answer.body.slice(0, 200)}`);
      rows = (JSON.parse(answer.body) as { items: { unitCode: string }[] }).items.map((r) => r.unitCode);
    });
    // R-H3 (issue 26): the list of a UP3 (10 ULPs) against the same list of one of its ULPs, open
    // tickets, a page of 50, full answers (no If-None-Match); medians of 40, alternated twice
    const list = (unitCode: string) => async () => {
      const answer = await call(service, 'GET', `/api/v1/tickets?unitCode=${unitCode}&open=true&limit=50`, admin);
      if (answer.status !== 200) throw new Error(`GET /tickets?unitCode=${unitCode}: ${answer.status} ${answer.body.slice(0, 200)}`);
    };
    const lists = { ulp: [] as number[], up3: [] as number[] };
    for (let round = 0; round < 2; round++) {
      lists.ulp.push(await timed(40, list(ulps[0])));
      lists.up3.push(await timed(40, list(up3s[0])));
    }
    return { httpSeconds, rows, lists };
  });
  await bench.server.drop('uidreport');
  const expected = [...ulps, UID];
  if (rows.join() !== expected.join()) throw new Error(`the UID report's rows were ${rows.slice(0, 5).join()}… (${rows.length}), expected 100 ULPs and the UID`);

  return [
    { scenario: S14, metric: `UID report, June, 100 ULPs + UID (${fmt(tickets)} tickets in 12 months)`, value: `${fmt(httpSeconds * 1000)} ms`, baseline: `${fmt(sqlSeconds * 1000)} ms (same SQL)`, ratio: ratio(httpSeconds, sqlSeconds), target: '≤ 1.5×', met: httpSeconds <= 1.5 * sqlSeconds },
    {
      scenario: S14,
      metric: `list of a UP3 (10 ULPs) vs the same list of one ULP: open tickets, 50 a page, median of 40 (two rounds)`,
      value: `${fmt(Math.min(...lists.up3) * 1000, 1)} ms`,
      baseline: `${fmt(Math.min(...lists.ulp) * 1000, 1)} ms (one ULP)`,
      ratio: ratio(Math.min(...lists.up3), Math.min(...lists.ulp)),
      target: '≤ 1.2×',
      met: Math.min(...lists.up3) <= 1.2 * Math.min(...lists.ulp),
    },
    { scenario: S14, metric: 'its tickets statement: sequential scans of tickets, sorts spilled to disk', value: `${seqScans.length} seq scans, ${spilled.length} spilled sorts (of ${sorts.length})`, target: 'index scans only, no spill', met: seqScans.length === 0 && spilled.length === 0 },
  ];
}
