import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, sleep, waitFor } from '../lib/context';
import { insertUnits, withClient } from '../lib/database';
import { seedFinished, UNITS } from '../lib/seed';
import { metric, type Service, withService } from '../lib/service';
import { sqlAutoCloseRun } from '../lib/sql-sweep';

// Scenario 4: 1M finished tickets of which 100k are due for auto-close (R-J1). The service (one replica,
// jobs every second) closes them, timed from ready to the last one closed; the baseline is the job's own
// set-based statement in a loop, run on an identical copy of the database. Then the cost of a run with
// nothing due, from the service's apkt_jobs_run_duration_seconds, over 1M rows against 10k rows.
const S4 = '4 Sweep';
const INTERVAL_MS = 1000;
const DUE_EVERY = 10;

/** Rows i = 0…rows-1 with i % DUE_EVERY = 0 are the due ones. */
const dueOf = (rows: number) => Math.ceil(rows / DUE_EVERY);

async function seed(bench: Bench, name: string, rows: number): Promise<string> {
  const url = await bench.server.fresh(name);
  await insertUnits(url, unitCodes(UNITS));
  const started = Date.now();
  await withClient(url, async (c) => {
    await seedFinished(c, rows, DUE_EVERY, new Date(), (done) => rows >= 200_000 && bench.log(`sweep: ${fmt(done)} of ${fmt(rows)} rows inserted`));
    await c.query('VACUUM ANALYZE tickets'); // a long-lived table: visibility map and statistics are current
  });
  bench.log(`sweep: ${fmt(rows)} rows (${fmt(dueOf(rows))} due) seeded in ${fmt((Date.now() - started) / 1000, 1)} s`);
  return url;
}

/** Seconds the service takes from ready to no ticket left SELESAI, polling the database every 100 ms. */
async function serviceSweep(url: string, due: number): Promise<number> {
  const started = performance.now();
  await withClient(url, (c) =>
    waitFor('the service to close every due ticket', async () => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE status = 'SELESAI'`)).rows[0].n === 0, 120_000 + due, 100),
  );
  return (performance.now() - started) / 1000;
}

/** Mean seconds of one autoClose run with nothing due, over ~`runs` runs of the service's jobs. */
async function idleRun(service: Service, runs: number): Promise<number> {
  await sleep(2 * INTERVAL_MS); // past the last run that still found work
  const read = async () => {
    const text = await service.metrics();
    return { sum: metric(text, 'apkt_jobs_run_duration_seconds_sum', 'job="autoClose"'), count: metric(text, 'apkt_jobs_run_duration_seconds_count', 'job="autoClose"') };
  };
  const first = await read();
  await sleep(runs * INTERVAL_MS + INTERVAL_MS / 2);
  const last = await read();
  return (last.sum - first.sum) / (last.count - first.count);
}

export async function sweep(bench: Bench): Promise<Row[]> {
  const rows = scaled(bench, 1_000_000, 20_000);
  const due = dueOf(rows);
  const big = await seed(bench, 'sweep', rows);
  const sqlUrl = await bench.server.copy('sweep', 'sweep_sql');

  bench.log(`sweep: raw-SQL baseline over ${fmt(rows)} rows`);
  const sql = await withClient(sqlUrl, async (c) => {
    const started = performance.now();
    const closed = await sqlAutoCloseRun(c, new Date());
    return { seconds: (performance.now() - started) / 1000, closed };
  });
  await bench.server.drop('sweep_sql');
  if (sql.closed !== due) throw new Error(`the SQL baseline closed ${sql.closed} tickets, expected ${due}`);

  bench.log(`sweep: the service over ${fmt(rows)} rows`);
  const jobs = { jobs: true, jobsIntervalMs: INTERVAL_MS };
  const { seconds, runSeconds, idleBig } = await withService(bench, { databaseUrl: big, ...jobs, name: 'sweep 1M' }, async (service) => {
    const seconds = await serviceSweep(big, due);
    const runSeconds = metric(await service.metrics(), 'apkt_jobs_run_duration_seconds_sum', 'job="autoClose"');
    return { seconds, runSeconds, idleBig: await idleRun(service, scaled(bench, 10, 3)) };
  });
  const closedOnce = await withClient(big, async (c) =>
    (await c.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT ticket_number)::int AS distinct FROM ticket_events WHERE type = 'AUTO_CLOSED'`)).rows[0],
  );
  await bench.server.drop('sweep');

  const smallRows = scaled(bench, 10_000, 1_000);
  const small = await seed(bench, 'sweep_small', smallRows);
  const idleSmall = await withService(bench, { databaseUrl: small, ...jobs, name: 'sweep 10k' }, async (service) => {
    await serviceSweep(small, dueOf(smallRows));
    return idleRun(service, scaled(bench, 10, 3));
  });
  await bench.server.drop('sweep_small');

  return [
    { scenario: S4, metric: `close ${fmt(due)} due of ${fmt(rows)} (jobs every ${INTERVAL_MS} ms)`, value: `${fmt(seconds, 2)} s`, baseline: `${fmt(sql.seconds, 2)} s (SQL loop)`, ratio: ratio(seconds, sql.seconds), target: '≤ 2×', met: seconds <= 2 * sql.seconds },
    { scenario: S4, metric: 'of which autoClose runs (apkt_jobs_run_duration_seconds)', value: `${fmt(runSeconds, 2)} s`, baseline: `${fmt(sql.seconds, 2)} s (SQL loop)`, ratio: ratio(runSeconds, sql.seconds) },
    { scenario: S4, metric: 'closed exactly once', value: `${fmt(closedOnce.distinct)} tickets, ${fmt(closedOnce.n)} AUTO_CLOSED events`, target: `${fmt(due)}`, met: closedOnce.n === due && closedOnce.distinct === due },
    { scenario: S4, metric: `autoClose run, nothing due, ${fmt(rows)} rows`, value: `${fmt(idleBig * 1000, 2)} ms`, baseline: `${fmt(idleSmall * 1000, 2)} ms (${fmt(smallRows)} rows)`, ratio: ratio(idleBig, idleSmall), target: '≤ 2×', met: idleBig <= 2 * idleSmall },
  ];
}
