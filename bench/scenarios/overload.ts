import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { freePort } from '../../src/database/embedded';
import { ALL_MARKER } from '../../src/tickets/sql/change-marker.sql';
import { createBody, unitCodes } from '../lib/bodies';
import { type Answer, closedLoop } from '../lib/clients';
import { type Bench, fmt, type Row, scaled, sleep, WARM_UP_SECONDS } from '../lib/context';
import { insertUnits, withClient } from '../lib/database';
import { token } from '../lib/load';
import { seedFinished, UNITS } from '../lib/seed';
import { withService } from '../lib/service';
import { max, percentile } from '../lib/stats';

// Scenario 14 (issue 30): overload, as tried from outside. 500 clients list tickets (full pages, half of
// them as unit dashboards, half as all-units callers) and 32 create, on 330k tickets, each client sending
// its next request when the last one is answered. The service should shed what it cannot serve within a
// second of queueing (503 + Retry-After) so that what it serves stays quick, keep answering readiness, and
// when the list clients all go away at once, stop their statements within a second. The list's change
// marker is EXPLAINed on the same data. Every client has its connection before the load starts
// (bench/lib/clients.ts); readiness is probed on a new connection each time, as an orchestrator does.
const S14 = '14 Overload';
const LIST_CLIENTS = 500;
const CREATE_CLIENTS = 32;

const ms = (value: number) => `${fmt(value)} ms`;
const of = (answers: Answer[], status: number) => answers.filter((a) => a.status === status);

// Readiness polled every 100 ms on a new connection each time, as an orchestrator's probe does, from a
// process of its own: the runner's event loop is busy with 532 clients and would delay the probe itself.
const PROBE = `
const latencies = [];
let running = true;
process.stdin.on('data', () => (running = false)).resume();
(async () => {
  while (running) {
    const started = performance.now();
    const answer = await fetch(process.argv[1] + '/health/ready', { headers: { connection: 'close' } }).catch(() => null);
    latencies.push(answer && answer.ok ? performance.now() - started : -1);
    await new Promise((r) => setTimeout(r, 100));
  }
  process.stdout.write(JSON.stringify(latencies));
  process.exit(0);
})();`;

function probeReadiness(url: string): { stop: () => Promise<number[]> } {
  const child = spawn(process.execPath, ['-e', PROBE, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    stop: async () => {
      child.stdin.end('stop\n');
      await exited;
      return (JSON.parse(out || '[]') as number[]).map((ms) => (ms < 0 ? Infinity : ms));
    },
  };
}

/** Milliseconds from `since` until no statement that started before it is running in the database but creates. */
async function statementsOutlive(url: string, since: Date): Promise<{ ms: number; atCut: number }> {
  return withClient(url, async (c) => {
    const running = async () =>
      (
        await c.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()
             AND backend_type = 'client backend' AND state = 'active' AND query_start < $1 AND query NOT ILIKE '%insert%'`,
          [since],
        )
      ).rows[0].n;
    const atCut = await running();
    const started = performance.now();
    while ((await running()) > 0 && performance.now() - started < 30_000) await sleep(20);
    return { ms: (await running()) > 0 ? Infinity : Date.now() - since.getTime(), atCut };
  });
}

export async function overload(bench: Bench): Promise<Row[]> {
  const rows = scaled(bench, 330_000, 20_000);
  const seconds = scaled(bench, 30, 8);
  const units = unitCodes(UNITS);
  const url = await bench.server.fresh('overload');
  try {
    await insertUnits(url, units);
    const seeded = Date.now();
    await withClient(url, async (c) => {
      await seedFinished(c, rows, 1000, new Date());
      await c.query('VACUUM ANALYZE tickets');
    });
    bench.log(`overload: ${fmt(rows)} tickets seeded in ${fmt((Date.now() - seeded) / 1000, 1)} s`);
    const plan = await withClient(url, async (c) => {
      const { rows: explained } = await c.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${ALL_MARKER}`);
      const nodes = (p: Record<string, unknown>): Record<string, unknown>[] => [p, ...((p.Plans as Record<string, unknown>[] | undefined) ?? []).flatMap(nodes)];
      const top = explained[0]['QUERY PLAN'][0] as { Plan: Record<string, unknown>; 'Execution Time': number };
      const scans = nodes(top.Plan).filter((n) => n['Relation Name'] === 'tickets').map((n) => `${n['Node Type']}${n['Index Name'] ? ` using ${n['Index Name']}` : ''}`);
      return { scans, ms: top['Execution Time'] };
    });

    const healthPort = await freePort(); // the opt-in HEALTH_PORT, probed alongside PORT
    const measured = await withService(bench, { databaseUrl: url, jobs: false, name: 'overload', env: { HEALTH_PORT: String(healthPort) } }, async (service) => {
      const [admin, cso] = await Promise.all([token(bench, 'admin'), token(bench, 'cso')]);
      const unitTokens = await Promise.all(units.map((unit) => token(bench, 'unit', unit)));
      const prefix = randomBytes(4).toString('hex');
      let created = 0;
      let go!: () => void;
      const started = new Promise<void>((resolve) => (go = resolve));
      const live = { method: 'GET', path: '/health/live', headers: {} };
      const lists = closedLoop(
        service.url,
        LIST_CLIENTS,
        (client) => ({ method: 'GET', path: '/api/v1/tickets?limit=50', headers: { authorization: `Bearer ${client % 2 ? admin : unitTokens[client % unitTokens.length]}` } }),
        live,
        started,
      );
      const creates = closedLoop(
        service.url,
        CREATE_CLIENTS,
        () => {
          const i = created++;
          return {
            method: 'POST',
            path: '/api/v1/tickets',
            headers: { authorization: `Bearer ${cso}`, 'content-type': 'application/json', 'idempotency-key': `${prefix}-${i}` },
            body: JSON.stringify(createBody(i, units[i % units.length])),
          };
        },
        live,
        started,
      );
      await Promise.all([lists.connected, creates.connected]);
      go();
      await sleep(WARM_UP_SECONDS * 1000); // answers from here on are measured
      const from = performance.now();
      const ready = probeReadiness(service.url);
      const readyOwnPort = probeReadiness(`http://127.0.0.1:${healthPort}`);
      await sleep(seconds * 1000);
      // every list client gives up at once, with its request in flight; the creates finish theirs
      const cutAt = new Date();
      const cut = lists.cut();
      const [outlive] = await Promise.all([statementsOutlive(url, cutAt), creates.stop()]);
      const [readiness, readinessOwnPort] = await Promise.all([ready.stop(), readyOwnPort.stop()]);
      const measured = (answers: Answer[]) => answers.filter((a) => a.at >= from);
      return { lists: measured(lists.answers), creates: measured(creates.answers), readiness, readinessOwnPort, cut, outlive };
    });

    const { lists, creates, readiness, readinessOwnPort, cut, outlive } = measured;
    const all = [...lists, ...creates];
    const served = of(lists, 200).map((a) => a.ms);
    const made = of(creates, 201).map((a) => a.ms);
    const shed = of(all, 503);
    const other = all.filter((a) => ![200, 201, 503].includes(a.status)).length;
    const sheddingP99 = percentile(shed.map((a) => a.ms), 99);
    const readyP99 = percentile(readiness, 99);
    const ownPortP99 = percentile(readinessOwnPort, 99);
    bench.results.overloadListsPerSecond = served.length / seconds;
    return [
      { scenario: S14, metric: `served lists (200) per second, ${LIST_CLIENTS} list clients + ${CREATE_CLIENTS} creating, ${fmt(rows)} tickets`, value: fmt(served.length / seconds) },
      { scenario: S14, metric: 'served lists latency p50 / p99', value: `${ms(percentile(served, 50))} / ${ms(percentile(served, 99))}`, target: 'p99 ≤ 2,000 ms', met: percentile(served, 99) <= 2000 },
      { scenario: S14, metric: 'creates (201) per second', value: fmt(made.length / seconds) },
      { scenario: S14, metric: 'creates latency p50 / p99', value: `${ms(percentile(made, 50))} / ${ms(percentile(made, 99))}`, target: 'p99 ≤ 1,000 ms', met: percentile(made, 99) <= 1000 },
      {
        scenario: S14,
        metric: `shed (503): lists / creates; answered after p50 / p99 (DB_POOL_WAIT_MS 1 s, plus the time before queueing)`,
        value: `${fmt(of(lists, 503).length)} / ${fmt(of(creates, 503).length)}; ${shed.length ? `${ms(percentile(shed.map((a) => a.ms), 50))} / ${ms(sheddingP99)}` : 'none shed'}`,
        target: 'p99 ≤ 1,500 ms',
        met: !shed.length || sheddingP99 <= 1500,
      },
      { scenario: S14, metric: '503 answers without Retry-After', value: fmt(shed.filter((a) => !a.retryAfter).length), target: '0', met: shed.every((a) => a.retryAfter) },
      { scenario: S14, metric: 'answers other than 200/201/503', value: fmt(other), target: '0', met: other === 0 },
      { scenario: S14, metric: `readiness (/health/ready every 100 ms, ${readiness.length} probes) p99 / max`, value: `${ms(readyP99)} / ${ms(max(readiness))}`, target: 'p99 ≤ 200 ms', met: readyP99 <= 200 },
      {
        scenario: S14,
        metric: `readiness on the opt-in HEALTH_PORT (answered by a thread of its own, ${readinessOwnPort.length} probes) p99 / max`,
        value: `${ms(ownPortP99)} / ${ms(max(readinessOwnPort))}`,
        target: 'p99 ≤ 200 ms',
        met: ownPortP99 <= 200,
      },
      {
        scenario: S14,
        metric: `all ${LIST_CLIENTS} list clients gone at once (${cut} requests in flight, ${outlive.atCut} list statements running): last of those statements ended after`,
        value: ms(outlive.ms),
        target: '≤ 1,000 ms',
        met: outlive.ms <= 1000,
      },
      { scenario: S14, metric: "the list's ETag marker, all units (EXPLAIN ANALYZE)", value: `${plan.scans.join(', ')}; ${fmt(plan.ms, 2)} ms`, target: 'index, no Seq Scan', met: plan.scans.length > 0 && plan.scans.every((s) => !/Seq Scan/.test(s)) },
    ];
  } finally {
    await bench.server.drop('overload');
  }
}
