import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, sleep, WARM_UP_SECONDS } from '../lib/context';
import { count, createLoad, load, registerUnits } from '../lib/load';
import { residentMiB, settle, withService } from '../lib/service';
import { sqlCreateBaseline } from '../lib/sql-create';

// Scenario 1 (create burst, and the service's memory): 64 connections creating tickets over HTTP for 30 s against
// the raw-SQL create transaction with 16 connections; the service's resident memory at rest and after.
const S1 = '1 Create burst';

export async function createBurst(bench: Bench): Promise<Row[]> {
  const url = await bench.server.fresh('create');
  const units = unitCodes(50);
  const { http, rest, after } = await withService(bench, { databaseUrl: url, jobs: false, name: 'create burst' }, async (service) => {
    await registerUnits(bench, service, units);
    await sleep(1000);
    const rest = await residentMiB(service);
    const options = await createLoad(bench, service, (i) => units[i % units.length]);
    await load({ ...options, connections: 16, duration: WARM_UP_SECONDS });
    await settle(service);
    const seconds = scaled(bench, 30, 3);
    bench.log(`create burst: 64 connections for ${seconds} s`);
    const result = await load({ ...options, connections: 64, duration: seconds });
    await settle(service);
    const after = await residentMiB(service);
    const created = count(result, 201);
    const failed = result.non2xx + result.errors + result.timeouts;
    return { rest, after, http: { perSecond: created / result.duration, p50: result.latency.p50, p99: result.latency.p99, failed, created } };
  });
  const sqlSeconds = scaled(bench, 20, 2);
  bench.log(`create burst: raw-SQL baseline, 16 connections for ${sqlSeconds} s`);
  const sql = await sqlCreateBaseline(url, 16, sqlSeconds, units);
  await bench.server.drop('create');
  bench.results.createPerSecond = http.perSecond;
  return [
    { scenario: S1, metric: 'tickets/s (HTTP, 64 conn.)', value: fmt(http.perSecond), baseline: `${fmt(sql.perSecond)} (raw SQL, 16 conn.)`, ratio: ratio(http.perSecond, sql.perSecond), target: '≥ 0.50×', met: http.perSecond >= 0.5 * sql.perSecond },
    { scenario: S1, metric: 'latency p50', value: `${fmt(http.p50)} ms`, baseline: `${fmt(sql.p50, 1)} ms`, ratio: ratio(http.p50, sql.p50) },
    { scenario: S1, metric: 'latency p99', value: `${fmt(http.p99)} ms`, baseline: `${fmt(sql.p99, 1)} ms`, ratio: ratio(http.p99, sql.p99), target: '< 50 ms', met: http.p99 < 50 },
    { scenario: S1, metric: 'answers other than 201', value: `${fmt(http.failed)} of ${fmt(http.created + http.failed)}`, target: '0', met: http.failed === 0 },
    { scenario: S1, metric: 'resident memory at rest', value: `${fmt(rest, 1)} MiB` },
    { scenario: S1, metric: 'resident memory after scenario 1', value: `${fmt(after, 1)} MiB`, baseline: `${fmt(rest, 1)} MiB (at rest)`, ratio: ratio(after, rest) },
  ];
}
