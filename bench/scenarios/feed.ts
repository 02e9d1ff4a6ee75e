import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded';
import { createBody, unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, sleep, waitFor } from '../lib/context';
import { insertUnits, withClient } from '../lib/database';
import { call, count, createLoad, load, pollingClients, registerUnits, token } from '../lib/load';
import { seedFinished } from '../lib/seed';
import { openStream } from '../lib/sse';
import { residentMiB, type Service, settle, withService } from '../lib/service';

// Scenario 9 (issue 15): the change feed. (a) the list's 304 against a bare Fastify process answering the
// same route shape from memory, same load in the same run; (b) dashboards on the SSE stream while creates
// run: delivery delay from the create's answer (after its commit) to each stream's receipt, memory, and
// database transactions per second while idle; (c) the feed read after an auto-close sweep returns every
// closed ticket exactly once.
const S9 = '9 Change feed';
const CONNECTIONS = 200;
const STREAMS = 1000;
const CREATES_PER_SECOND = 200;

const percentile = (sorted: number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] : NaN);

/** 304s per second from `url` for `seconds`, each connection sending back the ETag it was given. */
export async function poll304(url: string, tokens: string[], seconds: number): Promise<{ perSecond: number; other: number }> {
  const result = await load({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [{ method: 'GET', path: '/api/v1/tickets?open=true&limit=50' }],
    setupClient: pollingClients(tokens),
  });
  const notModified = count(result, 304);
  return { perSecond: notModified / result.duration, other: result.non2xx - notModified + result.errors + result.timeouts };
}

/** The bare Fastify route's 304s per second for `seconds` (after a 3 s warm-up): the baseline of the 304 path. */
export async function bare304(bench: Bench, seconds: number): Promise<{ perSecond: number; other: number }> {
  const bare = await bareFastify(bench);
  try {
    await poll304(bare.url, ['bare'], 3);
    return await poll304(bare.url, ['bare'], seconds);
  } finally {
    bare.stop();
  }
}

async function bareFastify(bench: Bench): Promise<{ url: string; stop: () => void }> {
  const port = await freePort();
  const child = spawn(process.execPath, [join(bench.root, 'dist-bench', 'bench', 'lib', 'bare-fastify.js'), String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.stdout?.once('data', () => resolve());
    child.once('exit', (code) => reject(new Error(`bare Fastify exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') };
}

async function polling(bench: Bench): Promise<Row[]> {
  const url = await bench.server.fresh('feed_poll');
  const units = unitCodes(CONNECTIONS, 300);
  const seconds = scaled(bench, 20, 3);
  const service304 = await withService(bench, { databaseUrl: url, jobs: false, name: 'feed 304' }, async (service) => {
    await registerUnits(bench, service, units);
    await load({ ...(await createLoad(bench, service, (i) => units[i % units.length])), connections: 32, amount: units.length * 5 });
    await settle(service);
    const tokens = await Promise.all(units.map((unit) => token(bench, 'unit', unit)));
    await poll304(service.url, tokens, 3); // warm up
    return poll304(service.url, tokens, seconds);
  });
  await bench.server.drop('feed_poll');
  const baseline = await bare304(bench, seconds);
  const share = service304.perSecond / baseline.perSecond;
  return [
    { scenario: S9, metric: `(a) list 304 answers/s (${CONNECTIONS} dashboards)`, value: fmt(service304.perSecond), baseline: `${fmt(baseline.perSecond)}/s bare Fastify 304`, ratio: ratio(service304.perSecond, baseline.perSecond), target: '≥ 0.50×', met: share >= 0.5 },
    { scenario: S9, metric: '(a) answers other than 200/304', value: fmt(service304.other + baseline.other), target: '0', met: service304.other + baseline.other === 0 },
  ];
}

/**
 * Scans of the tickets table so far (every read of the feed or the list is one), and transactions of the
 * database (these also count autovacuum's and this probe's own, so they are shown, not judged).
 */
async function activity(url: string): Promise<{ scans: number; transactions: number }> {
  return withClient(url, async (c) => {
    const { rows } = await c.query(`SELECT (SELECT coalesce(seq_scan, 0) + coalesce(idx_scan, 0) FROM pg_stat_user_tables WHERE relname = 'tickets') AS scans,
      (SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()) AS transactions`);
    return { scans: Number(rows[0].scans), transactions: Number(rows[0].transactions) };
  });
}

async function streaming(bench: Bench): Promise<Row[]> {
  const url = await bench.server.fresh('feed_stream');
  const units = unitCodes(20, 300);
  const streams = scaled(bench, STREAMS, 20);
  const seconds = scaled(bench, 20, 3);
  const result = await withService(bench, { databaseUrl: url, jobs: false, name: 'feed stream' }, async (service: Service) => {
    await registerUnits(bench, service, units);
    const viewer = await token(bench, 'backoffice');
    const created = new Map<string, number>(); // number → when its 201 arrived (after its commit)
    const received: [string, number][] = [];
    const perStream = Array.from({ length: streams }, () => new Map<string, number>());
    const clients = [];
    for (let i = 0; i < streams; i++) {
      clients.push(
        await openStream(`${service.url}/api/v1/ticket-changes/stream`, viewer, (data) => {
          const number = /"number":"([GK]\d{13})"/.exec(data)?.[1] ?? '?';
          perStream[i].set(number, (perStream[i].get(number) ?? 0) + 1);
          received.push([number, performance.now()]);
        }),
      );
    }
    bench.log(`feed: ${streams} streams open; creating ${CREATES_PER_SECOND}/s for ${seconds} s`);
    const cso = await token(bench, 'cso');
    let n = 0;
    const inflight = new Set<Promise<void>>();
    const timer = setInterval(() => {
      const i = n++;
      const p = call(service, 'POST', '/api/v1/tickets', cso, createBody(i, units[i % units.length]))
        .then((a) => {
          const number = a.status === 201 ? (JSON.parse(a.body) as { number: string }).number : undefined;
          if (number) created.set(number, performance.now());
        }, () => undefined)
        .finally(() => inflight.delete(p));
      inflight.add(p);
    }, 1000 / CREATES_PER_SECOND);
    await sleep(seconds * 1000);
    clearInterval(timer);
    await Promise.all(inflight);
    await waitFor('every stream to receive every create', async () => perStream.every((m) => m.size >= created.size), 30_000, 100).catch(() => undefined);
    const memory = await residentMiB(service);
    // Past the last poll that saw a commit, and past PostgreSQL's 10 s idle flush of each backend's
    // statistics: scans made during the burst would otherwise be counted in the idle window.
    await sleep(11_000);
    const idleSeconds = scaled(bench, 10, 3);
    const before = await activity(url);
    await sleep(idleSeconds * 1000);
    const after = await activity(url);
    const idleScans = (after.scans - before.scans) / idleSeconds;
    const idleTransactions = Math.max(0, after.transactions - before.transactions - 1) / idleSeconds; // minus the first probe's own
    clients.forEach((c) => c.close());
    const delays = received.map(([number, at]) => Math.max(0, at - (created.get(number) ?? at))).sort((a, b) => a - b);
    const missing = perStream.reduce((sum, m) => sum + [...created.keys()].filter((k) => !m.has(k)).length, 0);
    const twice = perStream.reduce((sum, m) => sum + [...m.values()].filter((v) => v > 1).length, 0);
    return { created: created.size, delays, memory, idleScans, idleTransactions, missing, twice };
  });
  await bench.server.drop('feed_stream');
  return [
    { scenario: S9, metric: `(b) deliveries (${fmt(streams)} streams × ${fmt(result.created)} creates) missing / twice`, value: `${fmt(result.missing)} / ${fmt(result.twice)}`, target: '0 / 0', met: result.missing === 0 && result.twice === 0 },
    { scenario: S9, metric: '(b) create answer → stream receipt p50 / p99', value: `${fmt(percentile(result.delays, 50))} ms / ${fmt(percentile(result.delays, 99))} ms`, target: 'p99 ≤ 1,000 ms', met: percentile(result.delays, 99) <= 1000 },
    { scenario: S9, metric: `(b) service memory with ${fmt(streams)} streams`, value: `${fmt(result.memory)} MiB`, target: '≤ 256 MiB', met: result.memory <= 256 },
    { scenario: S9, metric: '(b) reads of tickets/s while the streams are idle', value: fmt(result.idleScans, 2), target: '0', met: result.idleScans === 0 },
    { scenario: S9, metric: '(b) database transactions/s while idle (pg_stat_database: the shared poll, autovacuum; flushed ≥ 1 s late)', value: fmt(result.idleTransactions, 2) },
  ];
}

async function afterSweep(bench: Bench): Promise<Row[]> {
  const url = await bench.server.fresh('feed_sweep');
  const due = scaled(bench, 100_000, 1000);
  await insertUnits(url, unitCodes(50));
  await withClient(url, (c) => seedFinished(c, due, 1, new Date()));
  const start = await withService(bench, { databaseUrl: url, jobs: false, name: 'feed sweep' }, async (service) => {
    const viewer = await token(bench, 'backoffice');
    const read = async (after: string | undefined, each: (t: { number: string; status: string }) => void) => {
      let position = after;
      for (;;) {
        const answer = await call(service, 'GET', `/api/v1/ticket-changes?limit=200${position ? `&after=${encodeURIComponent(position)}` : ''}`, viewer);
        const page = JSON.parse(answer.body) as { items: { number: string; status: string }[]; position: string };
        page.items.forEach(each);
        position = page.position;
        if (page.items.length < 200) return position;
      }
    };
    return read(undefined, () => undefined); // where the feed stands before the sweep
  });
  // the sweep: a replica with its jobs on closes every due ticket
  const seen = new Map<string, number>();
  let closed = 0;
  await withService(bench, { databaseUrl: url, jobs: true, jobsIntervalMs: 500, name: 'feed sweep jobs' }, async (service) => {
    await withClient(url, (c) =>
      waitFor('the sweep to close every due ticket', async () => (await c.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE status = 'SELESAI'`)).rows[0].n === 0, 120_000 + due, 200),
    );
    const viewer = await token(bench, 'backoffice');
    let position = start;
    for (;;) {
      const answer = await call(service, 'GET', `/api/v1/ticket-changes?limit=200&after=${encodeURIComponent(position)}`, viewer);
      const page = JSON.parse(answer.body) as { items: { number: string; status: string }[]; position: string };
      for (const t of page.items) {
        seen.set(t.number, (seen.get(t.number) ?? 0) + 1);
        if (t.status === 'DITUTUP') closed++;
      }
      position = page.position;
      if (page.items.length < 200) break;
    }
  });
  await bench.server.drop('feed_sweep');
  const twice = [...seen.values()].filter((v) => v > 1).length;
  return [
    { scenario: S9, metric: `(c) feed after a ${fmt(due)}-close sweep: closed tickets read / twice`, value: `${fmt(closed)} / ${fmt(twice)}`, target: `${fmt(due)} / 0`, met: closed === due && twice === 0 && seen.size === due },
  ];
}

export async function changeFeed(bench: Bench): Promise<Row[]> {
  return [...(await polling(bench)), ...(await streaming(bench)), ...(await afterSweep(bench))];
}
