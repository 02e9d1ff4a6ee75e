import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, sleep, WARM_UP_SECONDS } from '../lib/context';
import { count, createLoad, load, registerUnits } from '../lib/load';
import { counted, enableStatements, startCounting, topStatements } from '../lib/pg-stats';
import { withClient } from '../lib/database';
import { metric, residentMiB, settle, withService } from '../lib/service';
import { sqlCreateBaseline } from '../lib/sql-create';
import { outbox, registerWebhook, SINK_ENV, webhookSink } from '../lib/webhook-sink';

// Scenario 1 (create burst, and the service's memory; issues 8, 15, 30): 64 connections creating tickets
// over HTTP against the same create sent as raw SQL by 64 connections, side by side in one run, with the
// features of the turn on — a webhook endpoint wanting every event (so each create writes its outbox row
// and the service's dispatcher delivers it to a local sink during both runs), the personal-data access
// log (always on) and HS256 tokens. The raw transaction is the service's own statement
// (insertTicketStatement with the Idempotency-Key and its stored answer), prepared the same way, so its
// triggers write the same outbox rows. The raw run goes first; the HTTP run inherits its delivery backlog.
// Then the service's resident memory after the burst and after a
// minute idle.
const S1 = '1 Create burst';
const ticketCount = (url: string) => withClient(url, async (c) => Number((await c.query<{ n: string }>('SELECT count(*)::text AS n FROM tickets')).rows[0].n));
const CONNECTIONS = 64;
const MiB_AFTER_BURST = 256;
const MiB_AFTER_IDLE = 200;

export async function createBurst(bench: Bench): Promise<Row[]> {
  const url = await bench.server.fresh('create');
  const statements = await enableStatements(url);
  const units = unitCodes(50);
  const sink = await webhookSink();
  const seconds = scaled(bench, 30, 3);
  const idleSeconds = scaled(bench, 60, 10);
  try {
    const m = await withService(bench, { databaseUrl: url, jobs: false, name: 'create burst', env: SINK_ENV }, async (service) => {
      await registerUnits(bench, service, units);
      await registerWebhook(bench, service, sink);
      await sleep(1000);
      const rest = await residentMiB(service);
      const options = await createLoad(bench, service, (i) => units[i % units.length]);
      await load({ ...options, connections: 16, duration: WARM_UP_SECONDS });
      await sqlCreateBaseline(url, 16, Math.min(2, WARM_UP_SECONDS), units);
      await settle(service);

      bench.log(`create burst: raw SQL, ${CONNECTIONS} connections for ${seconds} s`);
      const sql = await sqlCreateBaseline(url, CONNECTIONS, seconds, units);
      const backlogAfterSql = (await outbox(url)).pending;

      bench.log(`create burst: HTTP, ${CONNECTIONS} connections for ${seconds} s`);
      const before = await outbox(url);
      const ticketsBefore = await ticketCount(url);
      const since = await startCounting(url, statements);
      const cpu = async () => metric(await service.metrics(), 'process_cpu_seconds_total');
      const cpuBefore = await cpu();
      const result = await load({ ...options, connections: CONNECTIONS, duration: seconds });
      const cpuSeconds = (await cpu()) - cpuBefore;
      await settle(service);
      const afterBurst = await residentMiB(service);
      const work = await counted(url, since, statements);
      const after = await outbox(url);
      const written = after.rows - before.rows;
      const inserted = (await ticketCount(url)) - ticketsBefore;

      bench.log(`create burst: idle for ${idleSeconds} s`);
      await sleep(idleSeconds * 1000);
      const afterIdle = await residentMiB(service);
      const created = count(result, 201);
      const http = { perSecond: created / result.duration, p50: result.latency.p50, p99: result.latency.p99, failed: result.non2xx + result.errors + result.timeouts, created };
      return { rest, afterBurst, afterIdle, http, sql, work, written, inserted, backlogAfterSql, backlogAfterHttp: after.pending, cpuSeconds };
    });
    const { rest, afterBurst, afterIdle, http, sql, work, written, inserted, backlogAfterSql, backlogAfterHttp, cpuSeconds } = m;
    bench.results.createPerSecond = http.perSecond;
    const insertCalls = work.statements?.find((s) => s.query.includes('ticket_number_next'))?.calls;
    if (work.statements) {
      bench.notes.push(`Scenario 1: statements run most often during the HTTP burst, per create (pg_stat_statements; the dispatcher's included): ${topStatements(work, Math.max(1, inserted))}.`);
      bench.notes.push(`Scenario 1: statements taking most database time during the HTTP burst: ${topStatements(work, Math.max(1, inserted), 4, true)}.`);
    }
    bench.notes.push(
      `Scenario 1: the dispatcher delivers at its own pace (${fmt(sink.received())} deliveries to the sink in all; at most 4 at a time per endpoint, R-W2's order), through both runs: ` +
        `${fmt(backlogAfterSql)} messages waited after the raw-SQL run, ${fmt(backlogAfterHttp)} after the HTTP run, so the HTTP run shared the machine with at least as much delivery as the raw run.`,
    );
    const perCreate = (n: number) => fmt(n / Math.max(1, inserted), 2);
    return [
      { scenario: S1, metric: `creates/s, HTTP vs raw SQL (${CONNECTIONS} conn. each, webhook + access log on)`, value: fmt(http.perSecond), baseline: `${fmt(sql.perSecond)} (raw SQL)`, ratio: ratio(http.perSecond, sql.perSecond), target: '≥ 0.75×', met: http.perSecond >= 0.75 * sql.perSecond },
      { scenario: S1, metric: 'latency p50', value: `${fmt(http.p50)} ms`, baseline: `${fmt(sql.p50, 1)} ms`, ratio: ratio(http.p50, sql.p50) },
      { scenario: S1, metric: 'latency p99', value: `${fmt(http.p99)} ms`, baseline: `${fmt(sql.p99, 1)} ms`, ratio: ratio(http.p99, sql.p99), target: '≤ 2× raw p99', met: http.p99 <= 2 * sql.p99 },
      { scenario: S1, metric: 'service CPU per create (its dispatcher\'s deliveries included; steadier than throughput on a shared machine)', value: `${fmt((cpuSeconds * 1000) / Math.max(1, inserted), 2)} ms` },
      { scenario: S1, metric: 'answers other than 201', value: `${fmt(http.failed)} of ${fmt(http.created + http.failed)}`, target: '0', met: http.failed === 0 },
      { scenario: S1, metric: 'outbox rows written per create (webhook on)', value: perCreate(written), target: '1', met: written === inserted },
      { scenario: S1, metric: 'database transactions per create (pg_stat_database)', value: perCreate(work.commits), target: '≈ 1 (one statement, its own transaction) + the dispatcher\'s' },
      ...(insertCalls === undefined ? [] : [{ scenario: S1, metric: 'create statements per create (pg_stat_statements)', value: perCreate(insertCalls), target: '1', met: insertCalls === inserted }]),
      ...(work.statements ? [{ scenario: S1, metric: 'statements per create, all (the dispatcher\'s included)', value: perCreate(work.statements.filter((s) => !/pg_stat_/.test(s.query)).reduce((n, s) => n + s.calls, 0)) }] : []),
      { scenario: S1, metric: 'resident memory at rest', value: `${fmt(rest, 1)} MiB` },
      { scenario: S1, metric: 'resident memory after the burst', value: `${fmt(afterBurst, 1)} MiB`, baseline: `${fmt(rest, 1)} MiB (at rest)`, ratio: ratio(afterBurst, rest), target: `≤ ${MiB_AFTER_BURST} MiB`, met: afterBurst <= MiB_AFTER_BURST },
      { scenario: S1, metric: `resident memory after ${idleSeconds} s idle`, value: `${fmt(afterIdle, 1)} MiB`, target: `< ${MiB_AFTER_IDLE} MiB`, met: afterIdle < MiB_AFTER_IDLE },
    ];
  } finally {
    sink.close();
    await bench.server.drop('create');
  }
}
