import { createBody, unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled } from '../lib/context';
import { call, count, createLoad, load, pollingClients, registerUnits, token } from '../lib/load';
import { type Service, settle, withService } from '../lib/service';

// Scenario 3: 200 unit dashboards (one connection and unit token each) poll their unit's open list with
// the ETag of their last answer in If-None-Match, while creates trickle in across those units.
const S3 = '3 Dashboard polling';
const DASHBOARDS = 200;
const TRICKLE_PER_SECOND = 20;

/** Creates at a steady rate until stopped; returns how many were answered 201. */
function trickle(service: Service, cso: string, units: string[]): { stop: () => Promise<number> } {
  let created = 0;
  let i = 0;
  const inflight = new Set<Promise<void>>();
  const timer = setInterval(() => {
    if (inflight.size >= 10) return;
    const n = i++;
    const p = call(service, 'POST', '/api/v1/tickets', cso, createBody(n, units[(n * 37) % units.length]), { 'idempotency-key': `trickle-${Date.now()}-${n}` })
      .then((a) => void (a.status === 201 && created++), () => undefined)
      .finally(() => inflight.delete(p));
    inflight.add(p);
  }, 1000 / TRICKLE_PER_SECOND);
  return {
    stop: async () => {
      clearInterval(timer);
      await Promise.all(inflight);
      return created;
    },
  };
}

export async function dashboardPolling(bench: Bench): Promise<Row[]> {
  const url = await bench.server.fresh('dashboard');
  const units = unitCodes(DASHBOARDS, 300);
  const measured = await withService(bench, { databaseUrl: url, jobs: false, name: 'dashboards' }, async (service) => {
    await registerUnits(bench, service, units);
    const seed = await createLoad(bench, service, (i) => units[i % units.length]);
    await load({ ...seed, connections: 32, amount: DASHBOARDS * 10 }); // 10 open tickets per unit
    await settle(service);
    const tokens = await Promise.all(units.map((unit) => token(bench, 'unit', unit)));
    const seconds = scaled(bench, 20, 3);
    bench.log(`dashboard polling: ${DASHBOARDS} dashboards for ${seconds} s, ${TRICKLE_PER_SECOND} creates/s`);
    const creates = trickle(service, await token(bench, 'cso'), units);
    const result = await load({
      url: service.url,
      connections: DASHBOARDS,
      duration: seconds,
      requests: [{ method: 'GET', path: '/api/v1/tickets?open=true&limit=50' }],
      setupClient: pollingClients(tokens),
    });
    const created = await creates.stop();
    return { result, created };
  });
  await bench.server.drop('dashboard');
  const { result, created } = measured;
  const notModified = count(result, 304);
  const full = count(result, 200);
  const answers = notModified + full;
  const perSecond304 = notModified / result.duration;
  const createRate = bench.results.createPerSecond ?? NaN;
  const other = result.non2xx - notModified + result.errors + result.timeouts;
  return [
    { scenario: S3, metric: `answers/s (${DASHBOARDS} dashboards, ${fmt(created)} creates trickled in)`, value: fmt(answers / result.duration) },
    { scenario: S3, metric: 'poll latency p50 / p99', value: `${fmt(result.latency.p50)} ms / ${fmt(result.latency.p99)} ms` },
    { scenario: S3, metric: 'share of 304', value: `${fmt((100 * notModified) / Math.max(1, answers), 1)} %` },
    { scenario: S3, metric: '304 answers/s', value: fmt(perSecond304), baseline: `${fmt(createRate)} creates/s (scenario 1)`, ratio: ratio(perSecond304, createRate), target: '≥ 5×', met: Number.isFinite(createRate) ? perSecond304 >= 5 * createRate : undefined },
    { scenario: S3, metric: 'answers other than 200/304', value: fmt(other), target: '0', met: other === 0 },
  ];
}
