import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, type Row, scaled, sleep } from '../lib/context';
import { insertUnits, withClient } from '../lib/database';
import { seedWindows, UNITS } from '../lib/seed';
import { type Service, startService } from '../lib/service';
import { max, percentile } from '../lib/stats';

// Scenario 5: three replicas with jobs every second; 10k SELESAI tickets whose confirmation windows end
// spread over one minute. Lateness is measured twice: as recorded (closed_at, the job run's time, minus
// the deadline) and as observed (when a 100 ms poll of the database first saw the ticket DITUTUP, an
// upper bound of the commit). None may be closed before its deadline.
const S5 = '5 Timeliness';
const INTERVAL_MS = 1000;
const REPLICAS = 3;
const POLL_MS = 100;

interface Closed {
  deadline: number;
  closedAt: number;
  seenAt: number;
}

async function watch(url: string, count: number, until: number): Promise<Map<string, Closed>> {
  const seen = new Map<string, Closed>();
  await withClient(url, async (c) => {
    let since = 0;
    while (seen.size < count && Date.now() < until) {
      const polled = Date.now();
      // closed_at is the run's start; a run commits within seconds of it, so a 10 s window misses nothing
      const { rows } = await c.query<{ number: string; deadline: Date; closed_at: Date }>(
        `SELECT number, confirmation_deadline AS deadline, closed_at FROM tickets WHERE status = 'DITUTUP' AND closed_at >= $1`,
        [new Date(since - 10_000)],
      );
      const answered = Date.now();
      for (const r of rows) if (!seen.has(r.number)) seen.set(r.number, { deadline: r.deadline.getTime(), closedAt: r.closed_at.getTime(), seenAt: answered });
      since = polled;
      await sleep(Math.max(0, POLL_MS - (Date.now() - polled)));
    }
  });
  return seen;
}

export async function timeliness(bench: Bench): Promise<Row[]> {
  const url = await bench.server.fresh('timeliness');
  await insertUnits(url, unitCodes(UNITS));
  const count = scaled(bench, 10_000, 200);
  const spreadMs = scaled(bench, 60, 5) * 1000;
  const replicas: Service[] = [];
  let seen: Map<string, Closed>;
  let events: { n: number; distinct: number };
  try {
    for (let i = 0; i < REPLICAS; i++) replicas.push(await startService(bench, { databaseUrl: url, jobs: true, jobsIntervalMs: INTERVAL_MS, name: `timeliness replica ${i + 1}` }));
    const start = new Date(Date.now() + 3000);
    await withClient(url, (c) => seedWindows(c, count, start, spreadMs));
    bench.log(`timeliness: ${fmt(count)} windows ending over ${spreadMs / 1000} s, ${REPLICAS} replicas, jobs every ${INTERVAL_MS} ms`);
    seen = await watch(url, count, start.getTime() + spreadMs + 60_000);
    events = await withClient(url, async (c) =>
      (await c.query<{ n: number; distinct: number }>(`SELECT count(*)::int AS n, count(DISTINCT ticket_number)::int AS distinct FROM ticket_events WHERE type = 'AUTO_CLOSED'`)).rows[0],
    );
  } finally {
    await Promise.all(replicas.map((r) => r.stop()));
  }
  await bench.server.drop('timeliness');
  const closed = [...seen.values()];
  const recorded = closed.map((c) => c.closedAt - c.deadline);
  const observed = closed.map((c) => c.seenAt - c.deadline);
  const early = closed.filter((c) => c.closedAt < c.deadline || c.seenAt < c.deadline).length;
  const p99 = percentile(observed, 99);
  const ms = (v: number) => `${fmt(v)} ms`;
  return [
    { scenario: S5, metric: `lateness observed p50 / p99 / max (${fmt(closed.length)} of ${fmt(count)} closed)`, value: `${ms(percentile(observed, 50))} / ${ms(p99)} / ${ms(max(observed))}`, baseline: `interval ${INTERVAL_MS} ms`, target: `p99 ≤ ${INTERVAL_MS} ms`, met: closed.length === count && p99 <= INTERVAL_MS },
    { scenario: S5, metric: 'lateness recorded (closed_at) p50 / p99 / max', value: `${ms(percentile(recorded, 50))} / ${ms(percentile(recorded, 99))} / ${ms(max(recorded))}` },
    { scenario: S5, metric: 'closed before the deadline', value: fmt(early), target: '0', met: early === 0 },
    { scenario: S5, metric: `closed exactly once (${REPLICAS} replicas)`, value: `${fmt(events.distinct)} tickets, ${fmt(events.n)} AUTO_CLOSED events`, target: fmt(count), met: events.n === count && events.distinct === count },
  ];
}
