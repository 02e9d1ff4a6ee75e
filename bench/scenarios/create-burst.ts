import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DEFAULT_DB_POOL_SIZE } from '../../src/config/config';
import { freePort } from '../../src/database/embedded';
import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, sleep, WARM_UP_SECONDS } from '../lib/context';
import { createLoad, load, registerUnits } from '../lib/load';
import { addWork, counted, type DatabaseWork, enableStatements, startCounting, topStatements } from '../lib/pg-stats';
import { withClient } from '../lib/database';
import { type CpuPer, cpuPer, cpuSample, describeCpu, meanCpu } from '../lib/cpu-split';
import { residentMiB, settle, withService } from '../lib/service';
import { sqlCreateBaseline } from '../lib/sql-create';
import { httpRun, pooled, rate, type Round, roundRatios, type Run } from '../lib/rounds';
import { drained, outbox, registerWebhook, SINK_ENV, whileDispatcherWoken, webhookSink } from '../lib/webhook-sink';

// Scenario 1 (create burst, and the service's memory; issues 8, 15, 30): 64 connections creating tickets
// over HTTP against the same create sent as raw SQL by 64 connections, side by side in one run, with the
// features of the turn on — a webhook endpoint wanting every event (so each create writes its outbox row
// and the service's dispatcher delivers it to a local sink during both runs), the personal-data access
// log (always on) and HS256 tokens. The raw transaction is the service's own statement
// (insertTicketStatement with the Idempotency-Key and its stored answer), prepared the same way, so its
// triggers write the same outbox rows. Raw and HTTP runs alternate in three rounds, each from an empty outbox,
// in an order that turns each round.
// Each round also runs the framework's floor (bench/lib/bare-create.ts): a bare Fastify process sending the
// same statement through a `pg` pool of the service's size, with no token, checks, access log or metrics —
// what any Node.js HTTP service in front of this statement costs on these cores (informational), and where
// each run's CPU went (bench/lib/cpu-split.ts).
// Then the service's resident memory after the burst and after a
// minute idle.
const S1 = '1 Create burst';
const ticketCount = (url: string) => withClient(url, async (c) => Number((await c.query<{ n: string }>('SELECT count(*)::text AS n FROM tickets')).rows[0].n));
const CONNECTIONS = 64;
const ROUNDS = 3;
const MiB_AFTER_BURST = 256;
const MiB_AFTER_IDLE = 200;
/** The service's default pool (DB_POOL_SIZE), given to the bare Fastify baseline too. */
const POOL_SIZE = DEFAULT_DB_POOL_SIZE;

/** The bare Fastify create (bench/lib/bare-create.ts) in a process of its own. */
async function bareCreate(bench: Bench, databaseUrl: string): Promise<{ url: string; pid: number; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(bench.root, 'dist-bench', 'bench', 'lib', 'bare-create.js'), String(port), databaseUrl, String(POOL_SIZE)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`bare Fastify create exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, pid: child.pid!, stop: () => child.kill('SIGTERM') };
}

export async function createBurst(bench: Bench): Promise<Row[]> {
  const url = await bench.server.fresh('create');
  const statements = await enableStatements(url);
  const units = unitCodes(50);
  const sink = await webhookSink();
  let bare: Awaited<ReturnType<typeof bareCreate>> | undefined;
  const seconds = scaled(bench, 30, 3);
  const idleSeconds = scaled(bench, 60, 10);
  try {
    bare = await bareCreate(bench, url);
    const floor = bare;
    const m = await withService(bench, { databaseUrl: url, jobs: false, name: 'create burst', env: SINK_ENV }, async (service) => {
      await registerUnits(bench, service, units);
      await registerWebhook(bench, service, sink);
      await sleep(1000);
      const rest = await residentMiB(service);
      const options = await createLoad(bench, service, (i) => units[i % units.length]);
      await load({ ...options, connections: 16, duration: WARM_UP_SECONDS });
      await sqlCreateBaseline(url, 16, Math.min(2, WARM_UP_SECONDS), units);
      await drained(url);
      await settle(service);

      // Raw SQL and HTTP alternate in ROUNDS rounds of seconds / ROUNDS each, and each run starts from an
      // empty outbox: a slower or faster minute of this shared machine falls on both sides alike. Each run's
      // messages are delivered beside it, and what is left is delivered between the runs.
      const each = seconds / ROUNDS;
      const sqlRounds: Round[] = [];
      const httpRounds: Round[] = [];
      const bareRounds: Round[] = [];
      // CPU by part over every run of a kind (in the bare runs, the bare process with the service delivering)
      const cpu = { sql: [] as CpuPer[], http: [] as CpuPer[], bare: [] as CpuPer[] };
      const measured = async <T extends Run>(pids: number[], kind: keyof typeof cpu, run: () => Promise<T>): Promise<T> => {
        const from = cpuSample(pids);
        const result = await run();
        cpu[kind].push(cpuPer(from, cpuSample(pids), Math.max(1, result.done)));
        return result;
      };
      const works: DatabaseWork[] = [];
      let backlogAfterSql = 0;
      let backlogAfterHttp = 0;
      let written = 0;
      let inserted = 0;
      let failed = 0;
      let afterBurst = 0;
      // each run ends with its backlog delivered and the service settled
      const sqlRun = async () => {
        // the dispatcher delivers the raw run's messages beside it, woken as the service wakes it after its
        // own writes: both sides share the machine with the same deliveries
        const run = await whileDispatcherWoken(url, () => measured([service.pid], 'sql', () => sqlCreateBaseline(url, CONNECTIONS, each, units)));
        const drain = await drained(url);
        sqlRounds.push({ ...run, drainSeconds: drain.seconds });
        backlogAfterSql = Math.max(backlogAfterSql, drain.waiting);
        await settle(service);
      };
      const bareRun = async () => {
        // the framework's floor, its writes woken for like the raw run's
        const run = await whileDispatcherWoken(url, () => measured([floor.pid, service.pid], 'bare', async () => httpRun(await load({ ...options, url: floor.url, connections: CONNECTIONS, duration: each }), 201)));
        bareRounds.push({ ...run, drainSeconds: (await drained(url)).seconds });
        await settle(service);
      };
      const serviceRun = async (last: boolean) => {
        const before = await outbox(url);
        const ticketsBefore = await ticketCount(url);
        const since = await startCounting(url, statements);
        const run = await measured([service.pid], 'http', async () => {
          const result = await load({ ...options, connections: CONNECTIONS, duration: each });
          failed += result.non2xx + result.errors + result.timeouts;
          return httpRun(result, 201);
        });
        await settle(service);
        if (last) afterBurst = await residentMiB(service);
        works.push(await counted(url, since, statements));
        const after = await outbox(url);
        written += after.rows - before.rows;
        inserted += (await ticketCount(url)) - ticketsBefore;
        backlogAfterHttp = Math.max(backlogAfterHttp, after.pending);
        httpRounds.push({ ...run, drainSeconds: (await drained(url)).seconds });
      };
      // the order turns each round (raw, bare, service; bare, service, raw; service, raw, bare): neither a
      // growing table nor a warming machine falls on one side only
      const kinds = ['raw SQL', 'bare Fastify', 'the service'] as const;
      for (let r = 0; r < ROUNDS; r++) {
        const order = kinds.map((_, i) => kinds[(i + r) % kinds.length]);
        bench.log(`create burst: round ${r + 1} of ${ROUNDS}, ${order.join(', ')}, ${CONNECTIONS} connections for ${each} s each`);
        for (const kind of order) {
          if (kind === 'raw SQL') await sqlRun();
          else if (kind === 'bare Fastify') await bareRun();
          else await serviceRun(r === ROUNDS - 1);
        }
        bench.log(`create burst: round ${r + 1}: raw ${fmt(rate(sqlRounds[r]))}/s, bare Fastify ${fmt(rate(bareRounds[r]))}/s, HTTP ${fmt(rate(httpRounds[r]))}/s`);
      }

      bench.log(`create burst: idle for ${idleSeconds} s`);
      await sleep(idleSeconds * 1000);
      const afterIdle = await residentMiB(service);
      const byRound = roundRatios(httpRounds, sqlRounds);
      const cpuOf = { sql: meanCpu(cpu.sql), bare: meanCpu(cpu.bare), http: meanCpu(cpu.http) };
      return { rest, afterBurst, afterIdle, http: pooled(httpRounds), sql: pooled(sqlRounds), bare: pooled(bareRounds), bareByRound: roundRatios(bareRounds, sqlRounds), cpuOf, failed, work: addWork(works), written, inserted, backlogAfterSql, backlogAfterHttp, byRound };
    });
    const { rest, afterBurst, afterIdle, http, sql, bare: bareRun, bareByRound, cpuOf, failed, work, written, inserted, backlogAfterSql, backlogAfterHttp, byRound } = m;
    bench.results.createPerSecond = http.perSecond;
    const insertCalls = work.statements?.filter((s) => s.query.includes('ticket_number_next')).reduce((n, s) => n + s.calls, 0);
    if (work.statements) {
      bench.notes.push(`Scenario 1: statements run most often during the HTTP burst, per create (pg_stat_statements; the dispatcher's included): ${topStatements(work, Math.max(1, inserted))}.`);
      bench.notes.push(`Scenario 1: statements taking most database time during the HTTP burst: ${topStatements(work, Math.max(1, inserted), 4, true)}.`);
    }
    bench.notes.push(
      `Scenario 1: the dispatcher delivers at its own pace (${fmt(sink.received())} deliveries to the sink in all; at most 8 at a time per endpoint, R-W2's order), beside both kinds of run: the service wakes it after each of its own writes, and during a raw-SQL run (whose writes wake no dispatcher) the bench wakes it every 25 ms; ` +
        `at most ${fmt(backlogAfterSql)} messages waited after a raw-SQL run and were delivered before its HTTP run started, at most ${fmt(backlogAfterHttp)} after an HTTP run.`,
    );
    const perCreate = (n: number) => fmt(n / Math.max(1, inserted), 2);
    return [
      { scenario: S1, metric: `creates/s, HTTP vs raw SQL (${CONNECTIONS} conn. each, webhook + access log on; ${ROUNDS} alternating rounds: ${byRound})`, value: fmt(http.perSecond), baseline: `${fmt(sql.perSecond)} (raw SQL)`, ratio: ratio(http.perSecond, sql.perSecond), target: '≥ 0.75×', met: http.perSecond >= 0.75 * sql.perSecond },
      {
        scenario: S1,
        metric: 'creates/s until every create\'s webhook is delivered (each run and the delivery of its backlog, the dispatcher woken when the run ends; informational)',
        value: fmt(http.untilDelivered),
        baseline: `${fmt(sql.untilDelivered)} (raw SQL)`,
        ratio: ratio(http.untilDelivered, sql.untilDelivered),
      },
      { scenario: S1, metric: `creates/s, bare Fastify + pg (the same statement, a pool of ${POOL_SIZE}; no token, checks, access log or metrics) vs raw SQL: the framework's floor on these cores (rounds: ${bareByRound}; informational)`, value: fmt(bareRun.perSecond), baseline: `${fmt(sql.perSecond)} (raw SQL)`, ratio: ratio(bareRun.perSecond, sql.perSecond) },
      { scenario: S1, metric: 'creates/s, the service vs bare Fastify + pg (informational)', value: fmt(http.perSecond), baseline: `${fmt(bareRun.perSecond)} (bare Fastify)`, ratio: ratio(http.perSecond, bareRun.perSecond) },
      { scenario: S1, metric: 'CPU per create, raw SQL runs (runner: the 64 clients and the sink)', value: describeCpu(cpuOf.sql, 'the service delivering', 'runner') },
      { scenario: S1, metric: 'CPU per create, bare Fastify runs (runner: autocannon and the sink)', value: describeCpu(cpuOf.bare, 'bare process + the service delivering', 'runner') },
      { scenario: S1, metric: 'CPU per create, the service\'s runs (runner: autocannon and the sink)', value: describeCpu(cpuOf.http, 'the service (requests and delivering)', 'runner') },
      { scenario: S1, metric: 'latency p50 (median of the rounds)', value: `${fmt(http.p50)} ms`, baseline: `${fmt(sql.p50, 1)} ms`, ratio: ratio(http.p50, sql.p50) },
      { scenario: S1, metric: 'latency p99 (highest of the rounds)', value: `${fmt(http.p99)} ms`, baseline: `${fmt(sql.p99, 1)} ms`, ratio: ratio(http.p99, sql.p99), target: '≤ 2× raw p99', met: http.p99 <= 2 * sql.p99 },
      { scenario: S1, metric: 'service CPU per create (its dispatcher\'s deliveries included; steadier than throughput on a shared machine)', value: `${fmt(cpuOf.http.service, 2)} ms` }, // the rounds' mean, from the same /proc samples
      { scenario: S1, metric: 'answers other than 201', value: `${fmt(failed)} of ${fmt(http.done + failed)}`, target: '0', met: failed === 0 },
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
    bare?.stop();
    await bench.server.drop('create');
  }
}
