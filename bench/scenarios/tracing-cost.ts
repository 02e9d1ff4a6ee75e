import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, sleep, WARM_UP_SECONDS } from '../lib/context';
import { count, createLoad, load, registerUnits } from '../lib/load';
import { cpuSeconds, settle, withService } from '../lib/service';

// Scenario 11 (issue 32): creates over HTTP with tracing off, on with 10 % sampling, off again
// (parentbased_traceidratio, 0.1) exporting OTLP/HTTP to a local receiver that accepts and drops the
// spans. Same load, a fresh database each. Target: on ≥ 0.9× off.
const S11 = '11 Tracing cost';

/** An OTLP/HTTP endpoint that answers 200 to every export and counts the requests. */
async function otlpSink(): Promise<{ url: string; exports: () => number; close: () => void }> {
  let exports = 0;
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.url === '/v1/traces') exports++;
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, exports: () => exports, close: () => server.close() };
}

interface Run {
  perSecond: number;
  p99: number;
  failed: number;
  /** the service's own CPU time per create: steadier than throughput on a machine others load too */
  cpuMs: number;
}

async function creates(bench: Bench, name: string, env: Record<string, string>): Promise<Run> {
  const url = await bench.server.fresh(name);
  const units = unitCodes(50);
  try {
    return await withService(bench, { databaseUrl: url, jobs: false, name, env }, async (service) => {
      await registerUnits(bench, service, units);
      await sleep(500);
      const options = await createLoad(bench, service, (i) => units[i % units.length]);
      await load({ ...options, connections: 16, duration: WARM_UP_SECONDS });
      await settle(service);
      const seconds = scaled(bench, 20, 3);
      bench.log(`${name}: 32 connections for ${seconds} s`);
      const cpuBefore = await cpuSeconds(service);
      const result = await load({ ...options, connections: 32, duration: seconds });
      const created = count(result, 201);
      const cpuMs = ((await cpuSeconds(service)) - cpuBefore) * 1000 / Math.max(1, created);
      return { perSecond: created / result.duration, p99: result.latency.p99, failed: result.non2xx + result.errors + result.timeouts, cpuMs };
    });
  } finally {
    await bench.server.drop(name);
  }
}

export async function tracingCost(bench: Bench): Promise<Row[]> {
  const sink = await otlpSink();
  try {
    // off, on, off: the baseline is the mean of the two runs around the traced one, so a neighbour's load
    // on a shared machine that comes or goes during the scenario weighs on both sides alike
    const before = await creates(bench, 'tracing-off-1', {});
    const on = await creates(bench, 'tracing-on', {
      OTEL_EXPORTER_OTLP_ENDPOINT: sink.url,
      OTEL_TRACES_SAMPLER: 'parentbased_traceidratio',
      OTEL_TRACES_SAMPLER_ARG: '0.1',
      // e.g. BENCH_T11_ENV='{"OTEL_TRACES_SAMPLER":"always_off"}': the machinery's cost with nothing sampled
      ...(process.env.BENCH_T11_ENV ? (JSON.parse(process.env.BENCH_T11_ENV) as Record<string, string>) : {}),
    });
    const after = await creates(bench, 'tracing-off-2', {});
    const off: Run = {
      perSecond: (before.perSecond + after.perSecond) / 2,
      p99: (before.p99 + after.p99) / 2,
      failed: before.failed + after.failed,
      cpuMs: (before.cpuMs + after.cpuMs) / 2,
    };
    bench.notes.push(`Scenario 11: tracing off ran at ${fmt(before.perSecond)} and ${fmt(after.perSecond)} creates/s before and after the traced run.`);
    bench.notes.push(`Scenario 11: the OTLP receiver got ${sink.exports()} export requests (protobuf) during the traced run.`);
    return [
      { scenario: S11, metric: 'creates/s, tracing on (10 % sampled)', value: fmt(on.perSecond), baseline: `${fmt(off.perSecond)} (tracing off, mean of 2)`, ratio: ratio(on.perSecond, off.perSecond), target: '≥ 0.90×', met: on.perSecond >= 0.9 * off.perSecond },
      { scenario: S11, metric: 'service CPU per create, tracing on', value: `${fmt(on.cpuMs, 2)} ms`, baseline: `${fmt(off.cpuMs, 2)} ms (off)`, ratio: ratio(on.cpuMs, off.cpuMs), target: '≤ 1.11× (= ≥ 0.90× creates per CPU second)', met: on.cpuMs <= off.cpuMs / 0.9 },
      { scenario: S11, metric: 'latency p99, tracing on', value: `${fmt(on.p99)} ms`, baseline: `${fmt(off.p99)} ms (off)`, ratio: ratio(on.p99, off.p99) },
      { scenario: S11, metric: 'answers other than 201', value: `${fmt(on.failed + off.failed)}`, target: '0', met: on.failed + off.failed === 0 },
    ];
  } finally {
    sink.close();
  }
}
