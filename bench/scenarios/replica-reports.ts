import { join } from 'node:path';
import { startReplicated, until } from '../../test/support/replica';
import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, WARM_UP_SECONDS } from '../lib/context';
import { insertUnits, withClient } from '../lib/database';
import { call, count, createLoad, load, token } from '../lib/load';
import { metric, settle, withService } from '../lib/service';
import { seedReportTickets } from '../lib/seed-reports';

// Scenario 12 (issue 31, R-D1): the month report served by a streaming replica while the primary takes
// creates. The same create load runs twice against the service with one replica: alone, then with a
// supervisor fetching the month report for all units again and again; the creates must keep within 10 %
// of their rate. Its own primary and replica (test/support/replica.ts), not the runner's server.
const S12 = '12 Replica reports';

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
      const alone = await load({ ...options, connections: 16, duration: seconds });
      await settle(service);
      let reports = 0;
      let failedReports = 0;
      let stop = false;
      const before = metric(await service.metrics(), 'apkt_routed_reads', 'database="replica-1"') || 0; // NaN: none yet
      const supervisor = (async () => {
        while (!stop) {
          const answer = await call(service, 'GET', month, admin);
          if (answer.status === 200) reports++;
          else failedReports++;
        }
      })();
      const together = await load({ ...options, connections: 16, duration: seconds });
      stop = true;
      await supervisor;
      const onReplica = metric(await service.metrics(), 'apkt_routed_reads', 'database="replica-1"') - before;
      const rateAlone = count(alone, 201) / alone.duration;
      const rateTogether = count(together, 201) / together.duration;
      return [
        { scenario: S12, metric: `creates/s with month reports on the replica (${fmt(tickets)} tickets, 16 conn.)`, value: fmt(rateTogether), baseline: `${fmt(rateAlone)} (no report running)`, ratio: ratio(rateTogether, rateAlone), target: '≥ 0.90×', met: rateTogether >= 0.9 * rateAlone },
        { scenario: S12, metric: 'month reports answered meanwhile (all units)', value: `${fmt(reports)} (${fmt(onReplica)} reads on the replica, ${fmt(failedReports)} failed)`, target: 'all on the replica', met: reports > 0 && failedReports === 0 && onReplica >= reports },
      ];
    });
  } finally {
    await cluster.stop();
  }
}
