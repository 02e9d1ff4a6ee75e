import { join } from 'node:path';
import { startReplicated, until } from '../../test/support/replica';
import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, WARM_UP_SECONDS } from '../lib/context';
import { insertUnits } from '../lib/database';
import { count, createLoad, load } from '../lib/load';
import { metric, settle, startService } from '../lib/service';

// Scenario 15 (issue 31, R-D1): what configuring a replica costs the creates. One primary with one
// streaming standby (test/support/replica.ts); two services on that primary, one without
// DATABASE_REPLICA_URLS and one with it (its creates keep each caller's commit position for
// read-your-writes, and its health checks sample the standby). The same create load runs against each
// in turn, ROUNDS times alternately so that the machine's drift falls on both; the sums are compared.
const S15 = '15 Replica creates';
const ROUNDS = 3;

export async function replicaCreates(bench: Bench): Promise<Row[]> {
  const cluster = await startReplicated(join(bench.root, 'prisma', 'migrations'));
  const services: Awaited<ReturnType<typeof startService>>[] = [];
  try {
    const units = unitCodes(20, 700);
    await insertUnits(cluster.primaryUrl, units);
    const plain = await startService(bench, { databaseUrl: cluster.primaryUrl, jobs: false, name: 'no replica' });
    services.push(plain);
    const replicated = await startService(bench, {
      databaseUrl: cluster.primaryUrl,
      jobs: false,
      name: 'one replica',
      env: { DATABASE_REPLICA_URLS: cluster.replicaUrl, REPLICA_MAX_LAG_MS: '5000' },
    });
    services.push(replicated);
    await until(async () => metric(await replicated.metrics(), 'apkt_replica_usable', 'replica="replica-1"') === 1, 30_000, 'the replica to be usable');
    const seconds = scaled(bench, 20, 3);
    const totals = { plain: { created: 0, seconds: 0, failed: 0 }, replicated: { created: 0, seconds: 0, failed: 0 } };
    const options = { plain: await createLoad(bench, plain, (i) => units[i % units.length]), replicated: await createLoad(bench, replicated, (i) => units[i % units.length]) };
    for (const which of ['plain', 'replicated'] as const) {
      await load({ ...options[which], connections: 16, duration: WARM_UP_SECONDS });
      await settle(which === 'plain' ? plain : replicated);
    }
    for (let round = 0; round < ROUNDS; round++) {
      for (const which of round % 2 ? (['replicated', 'plain'] as const) : (['plain', 'replicated'] as const)) {
        const result = await load({ ...options[which], connections: 16, duration: seconds });
        await settle(which === 'plain' ? plain : replicated);
        totals[which].created += count(result, 201);
        totals[which].seconds += result.duration;
        totals[which].failed += result.non2xx + result.errors + result.timeouts;
        bench.log(`replica creates: round ${round + 1}, ${which}: ${fmt(count(result, 201) / result.duration)} creates/s`);
      }
    }
    const rate = (t: { created: number; seconds: number }) => t.created / t.seconds;
    const withReplica = rate(totals.replicated);
    const without = rate(totals.plain);
    return [
      { scenario: S15, metric: `creates/s with a replica configured (16 conn., ${ROUNDS} × ${seconds} s alternating)`, value: fmt(withReplica), baseline: `${fmt(without)} (no replica configured)`, ratio: ratio(withReplica, without), target: '≥ 0.90×', met: withReplica >= 0.9 * without },
      { scenario: S15, metric: 'answers other than 201', value: `${fmt(totals.replicated.failed)} with, ${fmt(totals.plain.failed)} without`, target: '0', met: totals.replicated.failed + totals.plain.failed === 0 },
    ];
  } finally {
    for (const service of services) await service.stop();
    await cluster.stop();
  }
}
