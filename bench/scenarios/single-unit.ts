import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, WARM_UP_SECONDS } from '../lib/context';
import { withClient } from '../lib/database';
import { count, createLoad, load, registerUnits } from '../lib/load';
import { settle, withService } from '../lib/service';

// Scenario 2: the same number of creates (64 connections) all for one unit, then spread across 50 —
// a lock convoy on one unit's numbering would show as a lower single-unit throughput. Each half gets a
// fresh database and service; every 201's number is collected to check that none repeats.
const S2 = '2 Single-unit burst';
// 50k creates at a few hundred per second would take minutes: each half stops at this cap (the full run
// must stay under 10 minutes), and the row says how many creates were made.
const CAP_SECONDS = 40;

interface Burst {
  perSecond: number;
  created: number;
  distinct: number;
  rows: number;
  failed: number;
}

async function burst(bench: Bench, mode: 'single' | 'spread', amount: number, capSeconds: number): Promise<Burst> {
  const url = await bench.server.fresh(`burst_${mode}`);
  const units = unitCodes(50);
  const result = await withService(bench, { databaseUrl: url, jobs: false, name: `${mode} burst` }, async (service) => {
    await registerUnits(bench, service, units);
    const warm = await createLoad(bench, service, (i) => units[i % units.length]);
    await load({ ...warm, connections: 16, duration: WARM_UP_SECONDS });
    await settle(service);
    const before = await withClient(url, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets')).rows[0].n);
    const numbers = new Set<string>();
    const options = await createLoad(bench, service, (i) => (mode === 'single' ? units[0] : units[i % units.length]), (n) => numbers.add(n));
    bench.log(`single-unit burst: ${fmt(amount)} creates, ${mode === 'single' ? 'one unit' : '50 units'}`);
    const result = await load({ ...options, connections: 64, amount }, capSeconds);
    await settle(service);
    const rows = await withClient(url, async (c) => (await c.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets')).rows[0].n);
    const created = count(result, 201);
    return { perSecond: created / result.duration, created, distinct: numbers.size, rows: rows - before, failed: result.non2xx + result.errors + result.timeouts };
  });
  await bench.server.drop(`burst_${mode}`);
  return result;
}

export async function singleUnitBurst(bench: Bench): Promise<Row[]> {
  const amount = scaled(bench, 50_000, 500);
  const capSeconds = scaled(bench, CAP_SECONDS, 5);
  // spread first: the single-unit half must not profit from running second
  const spread = await burst(bench, 'spread', amount, capSeconds);
  const single = await burst(bench, 'single', amount, capSeconds);
  const duplicates = single.created - single.distinct + (spread.created - spread.distinct);
  const lost = Math.max(0, single.created - single.rows) + Math.max(0, spread.created - spread.rows);
  return [
    { scenario: S2, metric: `tickets/s for one unit (${fmt(single.created)} creates${single.created < amount ? `, stopped at ${capSeconds} s` : ''})`, value: fmt(single.perSecond), baseline: `${fmt(spread.perSecond)} (50 units, ${fmt(spread.created)} creates)`, ratio: ratio(single.perSecond, spread.perSecond), target: '≥ 0.80×', met: single.perSecond >= 0.8 * spread.perSecond },
    { scenario: S2, metric: 'duplicate numbers among the 201s', value: `${fmt(duplicates)} (${fmt(single.distinct + spread.distinct)} distinct of ${fmt(single.created + spread.created)})${lost ? `; ${fmt(lost)} 201s without a row` : ''}`, target: '0', met: duplicates === 0 && lost === 0 },
    { scenario: S2, metric: 'answers other than 201', value: `${fmt(single.failed)} single, ${fmt(spread.failed)} spread`, target: '0', met: single.failed + spread.failed === 0 },
  ];
}
