import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { startReplicated, until } from '../../test/support/replica';
import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, WARM_UP_SECONDS } from '../lib/context';
import { insertUnits, withClient } from '../lib/database';
import { call, count, createLoad, load, token } from '../lib/load';
import { metric, settle, withService } from '../lib/service';
import { seedReportTickets } from '../lib/seed-reports';

// Scenario 12 (issue 31, R-D1): the month report served by a streaming replica while the primary takes
// creates. The same create load runs against the service with one replica: alone, then with a
// supervisor fetching the month report for all units again and again; the creates must keep within 10 %
// of their rate. Its own primary and replica (test/support/replica.ts), not the runner's server. On one
// machine the replica's report takes the primary's CPU, which a replica on its own machine would not. The
// reports run three times: the replica at equal priority, at nice 19, and in the SCHED_IDLE class (it
// runs only on a CPU nothing else wants; the nearest this machine comes to a machine of its own), which
// carries the target. Two controls that touch no database then measure what merely using the CPU the
// creates leave idle costs them here: a busy loop, and a loop streaming through 512 MiB of memory (a scan
// reads its pages much like that), both SCHED_IDLE. The creates alone run first and last (averaged).
const S12 = '12 Replica reports';

/** A run with month reports: the creates' rate, and the reports answered, refused and read on the replica. */
interface Served {
  rate: number;
  reports: number;
  failed: number;
  onReplica: number;
}

/** A loop in a process of its own in the SCHED_IDLE class, until killed: `memory` streams through 512 MiB. */
function idleLoop(memory: boolean): ChildProcess {
  const code = memory
    ? 'const a = new Float64Array(64e6); let s = 0; for (;;) for (let i = 0; i < a.length; i += 8) s += a[i]++;'
    : 'for (;;);';
  return spawn('chrt', ['--idle', '0', process.execPath, '-e', code], { stdio: 'ignore' });
}

export async function replicaReports(bench: Bench): Promise<Row[]> {
  const cluster = await startReplicated(join(bench.root, 'prisma', 'migrations'));
  try {
    const units = unitCodes(scaled(bench, 500, 5));
    const tickets = scaled(bench, 5_000_000, 20_000);
    // creates go to units of their own: the seed's numbers did not advance the seeded units' counters
    const creating = unitCodes(5, 700);
    await insertUnits(cluster.primaryUrl, [...units, ...creating]);
    await withClient(cluster.primaryUrl, async (c) => {
      await seedReportTickets(c, tickets, units.length);
      await c.query('VACUUM ANALYZE tickets, ticket_events, escalations');
    });
    bench.log(`replica reports: ${fmt(tickets)} tickets seeded over ${fmt(units.length)} units`);
    const env = { DATABASE_REPLICA_URLS: cluster.replicaUrl, REPLICA_MAX_LAG_MS: '5000' };
    return await withService(bench, { databaseUrl: cluster.primaryUrl, jobs: false, name: 'replica reports', env }, async (service) => {
      const admin = await token(bench, 'admin');
      const month = '/api/v1/reports/units?from=2026-06-01&to=2026-06-30';
      // the replica has the seed and answers the report
      await until(async () => metric(await service.metrics(), 'apkt_replica_usable', 'replica="replica-1"') === 1, 30_000, 'the replica to be usable');
      const options = await createLoad(bench, service, (i) => creating[i % creating.length]);
      await load({ ...options, connections: 16, duration: WARM_UP_SECONDS });
      await settle(service);
      const seconds = scaled(bench, 30, 3);
      /** The create load's rate, run beside whatever else is running. */
      const burst = async () => {
        const result = await load({ ...options, connections: 16, duration: seconds });
        return count(result, 201) / result.duration;
      };
      const creates = async () => {
        const rate = await burst();
        await settle(service);
        return rate;
      };
      const first = await creates();
      // with month reports on the replica: first as the machine is (the replica on the same 2 cores as the
      // primary, the service and the load), then at nice 19, then SCHED_IDLE (see the top of this file)
      const withReports = async (): Promise<Served> => {
        let reports = 0;
        let failed = 0;
        let stop = false;
        const before = metric(await service.metrics(), 'apkt_routed_reads', 'database="replica-1"') || 0; // NaN: none yet
        const supervisor = (async () => {
          while (!stop) {
            const answer = await call(service, 'GET', month, admin);
            if (answer.status === 200) reports++;
            else failed++;
          }
        })();
        const rate = await burst();
        stop = true;
        await supervisor;
        const onReplica = metric(await service.metrics(), 'apkt_routed_reads', 'database="replica-1"') - before;
        await settle(service);
        return { rate, reports, failed, onReplica };
      };
      const beside = async (memory: boolean) => {
        const loop = idleLoop(memory);
        try {
          return await creates();
        } finally {
          loop.kill('SIGKILL');
        }
      };
      const shared = await withReports();
      await cluster.replica.renice(19);
      const niced = await withReports();
      await cluster.replica.idle();
      const idle = await withReports();
      const busyLoop = await beside(false);
      const memoryLoop = await beside(true);
      const last = await creates();
      const rateAlone = (first + last) / 2;
      const alone = `${fmt(rateAlone)} (no report running; ${fmt(first)} first, ${fmt(last)} last)`;
      const served = (r: Served) => `${fmt(r.reports)} (${fmt(r.onReplica)} reads on the replica, ${fmt(r.failed)} failed)`;
      const allOnReplica = (r: Served) => r.reports > 0 && r.failed === 0 && r.onReplica >= r.reports;
      return [
        { scenario: S12, metric: `creates/s with month reports on the replica, the replica's processes SCHED_IDLE for its own machine (${fmt(tickets)} tickets, 16 conn.)`, value: fmt(idle.rate), baseline: alone, ratio: ratio(idle.rate, rateAlone), target: '≥ 0.90×', met: idle.rate >= 0.9 * rateAlone },
        { scenario: S12, metric: 'the same, the replica at nice 19 (informational)', value: fmt(niced.rate), baseline: alone, ratio: ratio(niced.rate, rateAlone) },
        { scenario: S12, metric: 'the same, the replica sharing the 2 cores at equal priority (informational: one machine for all)', value: fmt(shared.rate), baseline: alone, ratio: ratio(shared.rate, rateAlone) },
        { scenario: S12, metric: 'control: creates/s beside a busy loop, SCHED_IDLE, no database (what using the idle CPU costs on this machine)', value: fmt(busyLoop), baseline: alone, ratio: ratio(busyLoop, rateAlone) },
        { scenario: S12, metric: 'control: creates/s beside a loop streaming through 512 MiB, SCHED_IDLE, no database', value: fmt(memoryLoop), baseline: alone, ratio: ratio(memoryLoop, rateAlone) },
        { scenario: S12, metric: 'month reports answered meanwhile (all units; SCHED_IDLE / nice 19 / equal priority)', value: `${served(idle)} / ${served(niced)} / ${served(shared)}`, target: 'all on the replica', met: allOnReplica(idle) && allOnReplica(niced) && allOnReplica(shared) },
      ];
    });
  } finally {
    await cluster.stop();
  }
}
