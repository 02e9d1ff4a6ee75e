import { fork } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { bareLoop, type BareSenderJob } from '../lib/bare-sender';
import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, waitFor, WARM_UP_SECONDS } from '../lib/context';
import { call, count, createLoad, load, registerUnits, token } from '../lib/load';
import { CPUS, cpuPer, cpuSample, describeCpu, meanCpu } from '../lib/cpu-split';
import { counted, enableStatements, startCounting, topStatements } from '../lib/pg-stats';
import { settle, withService } from '../lib/service';
import { percentile } from '../lib/stats';

// Scenario 16 (issue 27, R-W2): the three figures of the outbox, with real HTTP receivers in this
// process (each answers 204 at once and notes when each body arrived).
// 1. Creates/s with three endpoints subscribed to every event against none: rounds none → three →
//    none (endpoints deleted) on one service; the two "none" rounds are averaged.
// 2. Commit → delivery: during a paced create load (half the rate with none) with the three endpoints,
//    the time from the 201 (the commit is just before it) to each receiver's arrival of that ticket's
//    created message; p99 over every (ticket, endpoint).
// 3. Deliveries/s: one endpoint's delivered messages replayed (POST …/replay), timed until its
//    receiver has them all, against a bare loop posting the same signed bodies to the same receiver
//    with as many in flight as the dispatcher allows a healthy endpoint (8), over keep-alive, from a
//    process of its own as the service sends from one (bench/lib/bare-sender.ts). The same loop run in
//    the receiver's process, the baseline until R36, is shown beside it: there one thread both sends
//    and receives, which made it the slower of the two (R36: 7,618 against 9,784 a second).
// 4. A receiver timing out: the three endpoints replayed at once, timed until the second and third
//    receivers have all their messages, with the first receiver healthy, then with it answering
//    nothing (each of its attempts ends at the dispatcher's 10 s timeout); the two healthy endpoints'
//    deliveries/s against the all-healthy run.
// Beside figures 1 and 3, where the CPU went (bench/lib/cpu-split.ts): per create and per delivery, the
// service's, PostgreSQL's and this runner's (the load and the receivers), and how busy the machine was.
// From these, the most each figure could reach on this machine with the service's own part taken away:
// what PostgreSQL's outbox work and the receivers alone leave of its cores; and for figure 1 what the
// receivers alone leave, were the outbox free in both the service and PostgreSQL.
const S16 = '16 Webhooks';
const PER_ENDPOINT = 8;

interface Receiver {
  url: string;
  /** arrival time (performance.now()) of the first message naming each ticket number */
  arrivals: Map<string, number>;
  bodies: string[];
  received: number;
  /** true: the receiver reads each request and never answers (a receiver timing out) */
  hang: boolean;
  server: Server;
}

async function receiver(): Promise<Receiver> {
  const r: Receiver = { url: '', arrivals: new Map(), bodies: [], received: 0, hang: false, server: undefined as unknown as Server };
  r.server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      if (r.hang) return; // no answer: the sender's timeout ends the attempt
      const at = performance.now();
      const body = Buffer.concat(chunks).toString('utf8');
      r.received++;
      r.bodies.push(body);
      const number = /"number":"([GK]\d{13})"/.exec(body)?.[1];
      if (number && !r.arrivals.has(number)) r.arrivals.set(number, at);
      res.writeHead(204).end();
    });
  });
  r.server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve) => r.server.listen(0, '127.0.0.1', resolve));
  r.url = `http://127.0.0.1:${(r.server.address() as AddressInfo).port}/hook`;
  return r;
}

/** The same loop in a process of its own (bench/lib/bare-sender.ts), as the service sends from one; seconds taken and its CPU. */
function bareLoopForked(root: string, job: BareSenderJob): Promise<{ seconds: number; cpuSeconds: number }> {
  const child = fork(join(root, 'dist-bench', 'bench', 'lib', 'bare-sender.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  return new Promise((resolve, reject) => {
    child.once('message', (answer: { seconds?: number; cpuSeconds?: number; error?: string }) =>
      answer.seconds !== undefined ? resolve({ seconds: answer.seconds, cpuSeconds: answer.cpuSeconds ?? 0 }) : reject(new Error(`bare sender: ${answer.error}`)));
    child.once('exit', (code) => reject(new Error(`bare sender exited with ${code}`)));
    child.send(job);
  });
}

export async function webhooks(bench: Bench): Promise<Row[]> {
  const url = await bench.server.fresh('webhooks');
  const units = unitCodes(20);
  const receivers = [await receiver(), await receiver(), await receiver()];
  try {
    const env = { WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' };
    return await withService(bench, { databaseUrl: url, jobs: false, name: 'webhooks', env }, async (service) => {
      await registerUnits(bench, service, units);
      const admin = await token(bench, 'admin');
      const seconds = scaled(bench, 20, 3);
      const sent = new Map<string, number>(); // ticket number → when its 201 arrived
      const options = await createLoad(bench, service, (i) => units[i % units.length], (number) => sent.set(number, performance.now()));
      const creates = async () => {
        const cpuFrom = cpuSample(service.pid);
        const result = await load({ ...options, connections: 16, duration: seconds });
        const ended = performance.now();
        const cpu = cpuPer(cpuFrom, cpuSample(service.pid), Math.max(1, count(result, 201)));
        await settle(service);
        return { rate: count(result, 201) / result.duration, created: count(result, 201), duration: result.duration, ended, failed: result.non2xx + result.errors + result.timeouts, cpu };
      };
      /**
       * Until none of an endpoint's messages waits: every attempt written, so that a replay queues all of
       * them again (it leaves a message still PENDING alone: one whose receiver has it but whose
       * finished attempt is not written yet would be neither counted nor sent again).
       */
      const delivered = (id: string) =>
        waitFor(`endpoint ${id}'s outbox to be delivered`, async () => {
          const answer = await call(service, 'GET', `/api/v1/webhooks/${id}/messages?status=PENDING&limit=1`, admin);
          return answer.status === 200 && (JSON.parse(answer.body) as { items: unknown[] }).items.length === 0;
        }, 120_000, 50);
      const register = async () => {
        const ids: string[] = [];
        for (const r of receivers) {
          const answer = await call(service, 'POST', '/api/v1/webhooks', admin, { url: r.url, description: 'bench', eventTypes: ['*'] });
          if (answer.status !== 201) throw new Error(`POST /webhooks: ${answer.status} ${answer.body.slice(0, 200)}`);
          ids.push((JSON.parse(answer.body) as { id: string }).id);
        }
        return ids;
      };
      await load({ ...options, connections: 16, duration: WARM_UP_SECONDS });
      await settle(service);
      const none1 = await creates();
      let ids = await register();
      const three = await creates();
      // and until every message of the burst is delivered: the work the burst leaves behind, if any
      for (const id of ids) await delivered(id);
      const drained = (performance.now() - three.ended) / 1000;
      for (const id of ids) await call(service, 'DELETE', `/api/v1/webhooks/${id}`, admin);
      const none2 = await creates();
      const none = (none1.rate + none2.rate) / 2;
      bench.log(`webhooks: creates/s none ${fmt(none1.rate)} / ${fmt(none2.rate)}, three endpoints ${fmt(three.rate)}`);

      // 2. commit → delivery at a paced rate, every receiver's arrival of every ticket
      ids = await register();
      for (const r of receivers) r.arrivals.clear();
      sent.clear();
      const paced = Math.max(10, Math.round(none / 2));
      const pacedResult = await load({ ...options, connections: 16, duration: seconds, overallRate: paced } as Parameters<typeof load>[0]); // autocannon paces with overallRate (not in bench/autocannon.d.ts)
      const created = [...sent.keys()];
      await waitFor('every receiver to have every paced ticket', async () => receivers.every((r) => created.every((n) => r.arrivals.has(n))), 120_000, 200);
      const latencies = receivers.flatMap((r) => created.map((n) => r.arrivals.get(n)! - sent.get(n)!));
      const p99 = percentile(latencies, 99);
      const p50 = percentile(latencies, 50);
      bench.log(`webhooks: ${fmt(created.length)} paced creates at ${fmt(paced)}/s (${fmt(count(pacedResult, 201))} 201s), delivery p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms`);

      // 3. deliveries/s: endpoint 1's messages replayed, against a bare loop of the same bodies
      /** POST …/replay of the last hour's messages of an endpoint; how many it queued. */
      const replay = async (id: string) => {
        const answer = await call(service, 'POST', `/api/v1/webhooks/${id}/replay`, admin, { since: new Date(Date.now() - 3_600_000).toISOString() });
        if (answer.status !== 202) throw new Error(`POST /replay: ${answer.status} ${answer.body.slice(0, 200)}`);
        return (JSON.parse(answer.body) as { queued: number }).queued;
      };
      const first = receivers[0];
      await delivered(ids[0]);
      const before = first.received;
      first.bodies = [];
      const statements = await enableStatements(url);
      const since = await startCounting(url, statements);
      const splitBefore = cpuSample(service.pid);
      const replayStarted = performance.now();
      const queued = await replay(ids[0]);
      await waitFor(`${queued} replayed deliveries`, async () => first.received - before >= queued, 600_000, 20);
      const replaySeconds = (performance.now() - replayStarted) / 1000;
      await delivered(ids[0]); // every attempt written: the CPU of the writes too
      const replayCpu = cpuPer(splitBefore, cpuSample(service.pid), queued);
      const work = await counted(url, since, statements);
      if (work.statements) bench.notes.push(`Scenario 16: the replay's statements by database time: ${topStatements(work, queued, 4, true, 'delivery')}.`);
      const bodies = first.bodies.slice(0, queued);
      // the baseline: the bare loop in a process of its own, as the service is; and, shown beside it, in
      // the receiver's own process (one thread sending and receiving)
      const bareFrom = cpuSample(service.pid);
      const { seconds: bareSeconds, cpuSeconds: bareSenderSeconds } = await bareLoopForked(bench.root, { url: first.url, bodies, inFlight: PER_ENDPOINT });
      const bareCpu = cpuPer(bareFrom, cpuSample(service.pid), bodies.length);
      const bareSenderMs = (bareSenderSeconds * 1000) / bodies.length;
      const bareHereSeconds = await bareLoop(first.url, bodies, PER_ENDPOINT);
      const deliveries = queued / replaySeconds;
      const bare = bodies.length / bareSeconds;
      const bareHere = bodies.length / bareHereSeconds;

      // 4. the two healthy endpoints' deliveries/s with the first receiver healthy, then timing out
      /** Replays the three endpoints at once; deliveries/s to the second and third until they have all theirs. */
      const replayAll = async () => {
        for (const id of ids) await delivered(id);
        const from = receivers.map((r) => r.received);
        const started = performance.now();
        const queued: number[] = [];
        for (const id of ids) queued.push(await replay(id));
        const healthy = [1, 2];
        await waitFor('the healthy receivers to have every replayed message', async () => healthy.every((i) => receivers[i].received - from[i] >= queued[i]), 600_000, 20);
        const rate = (queued[1] + queued[2]) / ((performance.now() - started) / 1000);
        return { rate, each: queued[2], firstDone: () => receivers[0].received - from[0] >= queued[0] };
      };
      const allHealthy = await replayAll();
      await waitFor('the first receiver to have its replay too', async () => allHealthy.firstDone(), 600_000, 20);
      await delivered(ids[0]);
      first.hang = true;
      const oneTimingOut = await replayAll();
      bench.log(`webhooks: two healthy endpoints ${fmt(allHealthy.rate)}/s beside a healthy one, ${fmt(oneTimingOut.rate)}/s beside one timing out`);
      for (const id of ids) await call(service, 'DELETE', `/api/v1/webhooks/${id}`, admin);

      const failed = none1.failed + three.failed + none2.failed;
      // where the CPU went, and what the machine's cores leave for each figure without the service's own part
      const ms = (n: number) => fmt(n, 3);
      const noneCpu = meanCpu([none1.cpu, none2.cpu]);
      const totalNone = noneCpu.service + noneCpu.postgres + noneCpu.runner;
      // with three endpoints, the service's part held at what it is with none: PostgreSQL's outbox rows,
      // claims and attempts, and the receivers, still cost what they did
      const withoutService = noneCpu.service + three.cpu.postgres + three.cpu.runner;
      // and with nothing of the outbox costing anything, neither in the service nor in PostgreSQL: only
      // the receivers' answers to three POSTs per create, delivered during the burst as they are
      const receiversOnly = Math.max(0, three.cpu.runner - noneCpu.runner);
      const replayWithoutService = bareSenderMs + replayCpu.postgres + replayCpu.runner;
      const cpuRows: Row[] = [
        { scenario: S16, metric: 'CPU per create during the bursts, with none (the two rounds averaged)', value: describeCpu(noneCpu, 'service', 'runner (load)') },
        { scenario: S16, metric: 'CPU per create during the burst with 3 endpoints (the messages delivered beside it)', value: describeCpu(three.cpu, 'service', 'runner (load, 3 receivers)') },
        { scenario: S16, metric: 'the most creates with 3 endpoints could reach against none on these cores (figure 1 needs 0.90×), were the service\'s part no more than with none: CPU per create with none ÷ with 3, the service\'s held', value: `${ms(totalNone)} / ${ms(withoutService)} ms`, ratio: ratio(totalNone, withoutService) },
        { scenario: S16, metric: 'the most creates with 3 endpoints could reach against none on these cores if the outbox cost nothing in the service or PostgreSQL, the receivers\' answers during the burst alone: CPU per create with none ÷ with none plus the receivers\'', value: `${ms(totalNone)} / ${ms(totalNone + receiversOnly)} ms`, ratio: ratio(totalNone, totalNone + receiversOnly) },
        { scenario: S16, metric: 'CPU per replayed delivery', value: describeCpu(replayCpu, 'service', 'receiver') },
        { scenario: S16, metric: 'CPU per POST of the bare loop', value: `sender ${ms(bareSenderMs)}, receiver ${ms(bareCpu.runner)} ms; machine busy ${fmt(bareCpu.busyCores, 2)} of ${CPUS} cores` },
        { scenario: S16, metric: 'the most deliveries/s these cores allow (figure 3 needs 0.50×), were the service as cheap as the bare sender: cores ÷ (bare sender + PostgreSQL + receiver per delivery), against the bare loop', value: fmt((CPUS * 1000) / replayWithoutService), baseline: fmt(bare), ratio: ratio((CPUS * 1000) / replayWithoutService, bare) },
      ];
      return [
        { scenario: S16, metric: 'creates/s with 3 endpoints subscribed to every event (16 conn.)', value: fmt(three.rate), baseline: `${fmt(none)} (none; ${fmt(none1.rate)} before, ${fmt(none2.rate)} after)`, ratio: ratio(three.rate, none), target: '≥ 0.90×', met: three.rate >= 0.9 * none && failed === 0 },
        { scenario: S16, metric: 'creates/s with 3 endpoints, counted until every message is delivered', value: fmt(three.created / (three.duration + drained)), baseline: `all delivered ${fmt(drained, 1)} s after the burst (looked at once the service had settled)` },
        { scenario: S16, metric: `commit → delivery, ${fmt(created.length)} creates at ${fmt(paced)}/s × 3 healthy endpoints`, value: `p99 ${fmt(p99)} ms`, baseline: `p50 ${fmt(p50)} ms`, target: 'p99 ≤ 1 s', met: p99 <= 1000 },
        { scenario: S16, metric: `deliveries/s to one local receiver (${fmt(queued)} replayed)`, value: fmt(deliveries), baseline: `${fmt(bare)} (bare signed POST loop in a process of its own, ${PER_ENDPOINT} in flight, keep-alive)`, ratio: ratio(deliveries, bare), target: '≥ 0.50×', met: deliveries >= 0.5 * bare },
        { scenario: S16, metric: 'the same deliveries against the bare loop run in the receiver\'s own process, one thread sending and receiving (informational; the baseline until R36)', value: fmt(deliveries), baseline: fmt(bareHere), ratio: ratio(deliveries, bareHere) },
        { scenario: S16, metric: 'service CPU per replayed delivery (claim, render, sign, POST, attempt written; steadier than throughput on a shared machine)', value: `${fmt(replayCpu.service, 3)} ms` },
        { scenario: S16, metric: `deliveries/s to two healthy endpoints while the third times out (3 × ${fmt(oneTimingOut.each)} replayed at once)`, value: fmt(oneTimingOut.rate), baseline: `${fmt(allHealthy.rate)} (the third healthy too)`, ratio: ratio(oneTimingOut.rate, allHealthy.rate), target: '≥ 0.90× (within 10 %)', met: oneTimingOut.rate >= 0.9 * allHealthy.rate },
        ...cpuRows,
      ];
    });
  } finally {
    for (const r of receivers) {
      r.server.closeAllConnections();
      r.server.close();
    }
    await bench.server.drop('webhooks');
  }
}
