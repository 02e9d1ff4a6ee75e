import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { ROOT, startBuiltService } from './support/built-service';
import { gangguan } from './support/fixtures';

// Issue 32: OpenTelemetry traces, sent over OTLP/HTTP to a real receiver this test starts.
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  attributes?: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

/** A minimal OTLP/HTTP trace receiver (JSON encoding): every span POSTed to /v1/traces. */
async function otlpReceiver(): Promise<{ url: string; spans: OtlpSpan[]; server: Server; hooks: number }> {
  const spans: OtlpSpan[] = [];
  const received = { hooks: 0 };
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (c: Buffer) => chunks.push(c));
    request.on('end', () => {
      if (request.method === 'POST' && request.url === '/v1/traces') {
        const body = JSON.parse(Buffer.concat(chunks).toString()) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const rs of body.resourceSpans) for (const ss of rs.scopeSpans) spans.push(...ss.spans);
        response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
      } else if (request.method === 'POST' && request.url === '/hook') {
        received.hooks++;
        response.writeHead(204).end();
      } else response.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    spans,
    server,
    get hooks() {
      return received.hooks;
    },
  };
}

/** The built service sending its spans to `receiver` (OTLP/JSON, every 100 ms), with `env` besides. */
const tracedService = (receiver: { url: string }, env: Record<string, string>) =>
  startBuiltService({ OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json', OTEL_BSP_SCHEDULE_DELAY: '100', ...env });

const attribute = (span: OtlpSpan, key: string) => span.attributes?.find((a) => a.key === key)?.value.stringValue;

async function until<T>(what: string, probe: () => T | undefined, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const found = probe();
    if (found !== undefined && found !== false) return found;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('tracing (OTEL_EXPORTER_OTLP_ENDPOINT set)', () => {
  it('stops on SIGTERM within seconds when the collector is away (the last spans get 2 s)', async () => {
    // a collector that accepts the connection and never answers: each export would wait its 10 s time-out
    const silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const service = await startBuiltService({ OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${(silent.address() as AddressInfo).port}`, OTEL_TRACES_SAMPLER: 'always_on' });
    try {
      expect((await fetch(`${service.url}/api/v1/units`, { headers: await service.headers('cso') })).status).toBe(200);
      const started = Date.now();
      service.child.kill('SIGTERM');
      expect(await service.exited).toBe(0);
      expect(Date.now() - started).toBeLessThan(6_000);
      expect(service.logs().some((l) => l.msg === 'could not send the last spans')).toBe(true);
    } finally {
      service.kill();
      silent.closeAllConnections();
      silent.close();
    }
  }, 30_000);

  it('sends one trace per request with its database statements and request id, job runs and webhook deliveries as traces of their own, trace ids in the logs', async () => {
    const receiver = await otlpReceiver();
    const service = await tracedService(receiver, { JOBS_INTERVAL_MS: '300', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    try {
      const unit = await fetch(`${service.url}/api/v1/units/542`, {
        method: 'PUT',
        headers: await service.headers('admin', { 'content-type': 'application/json' }),
        body: JSON.stringify({ name: 'Unit 542' }),
      });
      expect(unit.status).toBe(200);
      const hook = await fetch(`${service.url}/api/v1/webhooks`, {
        method: 'POST',
        headers: await service.headers('admin', { 'content-type': 'application/json' }),
        body: JSON.stringify({ url: `${receiver.url}/hook`, eventTypes: ['ticket.created'] }),
      });
      expect(hook.status).toBe(201);
      const created = await fetch(`${service.url}/api/v1/tickets`, {
        method: 'POST',
        headers: await service.headers('cso', { 'content-type': 'application/json', 'x-request-id': 'trace-me-32' }),
        body: JSON.stringify(gangguan()),
      });
      expect(created.status).toBe(201);

      const server = await until('the request span', () =>
        receiver.spans.find((s) => !s.parentSpanId && attribute(s, 'apkt.request_id') === 'trace-me-32'),
      );
      const trace = await until('a pg span in the request trace', () => {
        const spans = receiver.spans.filter((s) => s.traceId === server.traceId);
        return spans.some((s) => attribute(s, 'db.system') === 'postgresql' || attribute(s, 'db.system.name') === 'postgresql') ? spans : undefined;
      });
      // every span of the request's trace carries the request id
      expect(trace.filter((s) => attribute(s, 'apkt.request_id') !== 'trace-me-32').map((s) => s.name)).toEqual([]);
      expect(new Set(trace.map((s) => s.traceId)).size).toBe(1);
      expect([server.name, attribute(server, 'http.route')]).toEqual(['POST /api/v1/tickets', '/api/v1/tickets']);

      // a job run is the root of a trace of its own, with its statements inside
      const job = await until('a job span', () => receiver.spans.find((s) => s.name === 'job slaBreach' && !s.parentSpanId));
      expect(attribute(job, 'apkt.job')).toBe('slaBreach');
      expect(job.traceId).not.toBe(server.traceId);
      await until('a pg span inside the job run', () => receiver.spans.find((s) => s.traceId === job.traceId && s.parentSpanId));

      // a webhook delivery is the root of a trace of its own (R-W2's dispatcher), with its statements inside
      const delivery = await until('a delivery span', () => receiver.spans.find((s) => s.name === 'outbound delivery ticket.created' && !s.parentSpanId));
      expect(attribute(delivery, 'apkt.channel')).toBe('WEBHOOK');
      expect(delivery.traceId).not.toBe(server.traceId);
      await until('a pg span inside the delivery', () => receiver.spans.find((s) => s.traceId === delivery.traceId && s.parentSpanId));

      // no trace for the probes and scrapes
      await fetch(`${service.url}/metrics`);
      expect(receiver.spans.filter((s) => attribute(s, 'url.path') === '/metrics' || attribute(s, 'http.target') === '/metrics')).toEqual([]);

      // the request's log line names its trace
      const line = await until('the request log line', () => service.logs().find((l) => l.reqId === 'trace-me-32' && l.msg === 'request completed'));
      expect(line.trace_id).toBe(server.traceId);
    } finally {
      service.kill();
      receiver.server.close();
    }
  }, 60_000);
});

describe('tracing, the sampling decision taken once at the root (issue 32: the cost of the unsampled requests)', () => {
  it('sends nothing for a request, job run or delivery the sampler drops (its log line still names its request id); a sampled request still has its HTTP, NestJS and pg spans', async () => {
    const receiver = await otlpReceiver();
    // parentbased_always_off: a request is sampled only when its caller's traceparent says so
    const service = await tracedService(receiver, { OTEL_TRACES_SAMPLER: 'parentbased_always_off', JOBS_INTERVAL_MS: '200', WEBHOOK_ALLOWED_HOSTS: '127.0.0.1' });
    try {
      const admin = async (method: string, path: string, body: unknown) =>
        fetch(`${service.url}${path}`, { method, headers: await service.headers('admin', { 'content-type': 'application/json' }), body: JSON.stringify(body) });
      expect((await admin('PUT', '/api/v1/units/542', { name: 'Unit 542' })).status).toBe(200);
      expect((await admin('POST', '/api/v1/webhooks', { url: `${receiver.url}/hook`, eventTypes: ['ticket.created'] })).status).toBe(201);
      const create = async (requestId: string, traceparent?: string) =>
        fetch(`${service.url}/api/v1/tickets`, {
          method: 'POST',
          headers: await service.headers('cso', { 'content-type': 'application/json', 'x-request-id': requestId, ...(traceparent ? { traceparent } : {}) }),
          body: JSON.stringify(gangguan()),
        });
      expect((await create('unsampled-32')).status).toBe(201);
      expect((await create('caller-unsampled-32', `00-${'b'.repeat(32)}-${'c'.repeat(16)}-00`)).status).toBe(201);
      const sampledTrace = 'a'.repeat(32);
      expect((await create('sampled-32', `00-${sampledTrace}-${'c'.repeat(16)}-01`)).status).toBe(201);

      // the sampled request: its server span, NestJS's controller and handler spans, its statement
      const trace = await until('the sampled trace with its pg span', () => {
        const spans = receiver.spans.filter((s) => s.traceId === sampledTrace);
        return spans.some((s) => attribute(s, 'db.system.name') === 'postgresql' || attribute(s, 'db.system') === 'postgresql') ? spans : undefined;
      });
      expect(trace.map((s) => s.name)).toEqual(expect.arrayContaining(['POST /api/v1/tickets', 'IntakeController.create', 'create']));
      expect(trace.filter((s) => attribute(s, 'apkt.request_id') !== 'sampled-32').map((s) => s.name)).toEqual([]);
      // job runs (every 200 ms) and the three deliveries go by; none of them, and no other request, is sampled
      await until('the three webhook deliveries', () => (receiver.hooks >= 3 ? true : undefined));
      await new Promise((r) => setTimeout(r, 600)); // > 2 job intervals and the exporter's 100 ms delay
      expect(receiver.spans.filter((s) => s.traceId !== sampledTrace).map((s) => s.name)).toEqual([]);
      // the outbox's claim that the create woke is the dispatcher's work, not the request's (nor its flush)
      const statements = receiver.spans.filter((s) => s.traceId === sampledTrace).map((s) => attribute(s, 'db.query.text') ?? '');
      expect(statements.filter((text) => /outbound_due_first|outbound_messages/.test(text))).toEqual([]);
      expect(statements.filter((text) => text !== '')).toHaveLength(1);

      // every request's log line carries its request id; only the sampled one names a trace
      const lines = service.logs().filter((l) => l.msg === 'request completed' && String(l.reqId).endsWith('-32'));
      expect(Object.fromEntries(lines.map((l) => [l.reqId, l.trace_id ?? null]))).toEqual({
        'unsampled-32': null,
        'caller-unsampled-32': null,
        'sampled-32': sampledTrace,
      });
    } finally {
      service.kill();
      receiver.server.close();
    }
  }, 60_000);
});

describe('tracing, each statement in the trace of the request that ran it (issue 32)', () => {
  it('puts a create\'s statement in its own trace when it waited for a pooled connection another request gave back', async () => {
    const receiver = await otlpReceiver();
    // two connections for 40 concurrent creates: most wait, and pg-pool hands each its connection from the
    // callback of the request that releases one, sampled or not
    const service = await tracedService(receiver, { OTEL_TRACES_SAMPLER: 'parentbased_always_off', DB_POOL_SIZE: '2', DB_POOL_WAIT_MS: '10000' });
    try {
      const admin = await service.headers('admin', { 'content-type': 'application/json' });
      expect((await fetch(`${service.url}/api/v1/units/542`, { method: 'PUT', headers: admin, body: JSON.stringify({ name: 'Unit 542' }) })).status).toBe(200);
      const cso = await service.headers('cso', { 'content-type': 'application/json' });
      const sampled: string[] = [];
      const answers = await Promise.all(
        Array.from({ length: 40 }, (_, i) => {
          const traceId = (i + 1).toString(16).padStart(32, 'd');
          if (i % 4 === 0) sampled.push(traceId);
          const traceparent: Record<string, string> = i % 4 === 0 ? { traceparent: `00-${traceId}-${'c'.repeat(16)}-01` } : {};
          return fetch(`${service.url}/api/v1/tickets`, { method: 'POST', headers: { ...cso, ...traceparent }, body: JSON.stringify(gangguan()) });
        }),
      );
      expect(answers.map((a) => a.status)).toEqual(answers.map(() => 201));
      // one more sampled create once all have answered: the exporter sends spans in the order they end, so
      // when its server span has arrived, every span of the 40 has too
      const last = 'e'.repeat(32);
      sampled.push(last);
      const traceparent = `00-${last}-${'c'.repeat(16)}-01`;
      expect((await fetch(`${service.url}/api/v1/tickets`, { method: 'POST', headers: { ...cso, traceparent }, body: JSON.stringify(gangguan()) })).status).toBe(201);
      const inserts = (traceId: string) =>
        receiver.spans.filter((s) => s.traceId === traceId && /INSERT INTO tickets/i.test(attribute(s, 'db.query.text') ?? '')).length;
      await until('every sampled create with its server span', () => (sampled.every((t) => receiver.spans.some((s) => s.traceId === t && s.name === 'POST /api/v1/tickets')) ? true : undefined));
      expect(Object.fromEntries(sampled.map((t) => [t, inserts(t)]))).toEqual(Object.fromEntries(sampled.map((t) => [t, 1])));
      expect(receiver.spans.filter((s) => !sampled.includes(s.traceId) && s.name.startsWith('pg.query')).map((s) => s.traceId)).toEqual([]);
    } finally {
      service.kill();
      receiver.server.close();
    }
  }, 60_000);
});

describe('tracing, a request the sampler drops passes the HTTP instrumentation by (issue 32: its cost)', () => {
  it('runs an unsampled request with no context and its request and response unpatched; a sampled one inside its server span', () => {
    // a plain http server in a process of its own: the instrumentations patch modules as Node loads them
    const script = `
      require(${JSON.stringify(join(ROOT, 'dist', 'tracing', 'preload.js'))});
      const http = require('http');
      const { trace } = require('@opentelemetry/api');
      const server = http.createServer((request, response) => {
        const span = trace.getActiveSpan();
        response.end(JSON.stringify({
          span: span ? span.isRecording() : null,
          patched: Object.prototype.hasOwnProperty.call(request, 'on') || Object.prototype.hasOwnProperty.call(response, 'on'),
        }));
      });
      server.listen(0, '127.0.0.1', async () => {
        const url = 'http://127.0.0.1:' + server.address().port + '/api/v1/tickets';
        const ask = async (headers) => (await fetch(url, { headers })).json();
        const answers = {
          unsampled: await ask({}),
          sampled: await ask({ traceparent: '00-${'a'.repeat(32)}-${'c'.repeat(16)}-01' }),
          probe: await ask({}),
        };
        process.stdout.write(JSON.stringify(answers));
        server.close();
        process.exit(0);
      });`;
    const out = execFileSync(process.execPath, ['-e', script], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_TRACES_SAMPLER: 'parentbased_always_off' },
    }).toString();
    expect(JSON.parse(out)).toEqual({
      unsampled: { span: null, patched: false },
      sampled: { span: true, patched: true },
      probe: { span: null, patched: false },
    });
  });
});

describe('tracing off (no OTEL_EXPORTER_OTLP_ENDPOINT)', () => {
  it('loads no OpenTelemetry module at all', () => {
    const probe = (env: Record<string, string>) =>
      execFileSync(
        process.execPath,
        ['-e', `require(${JSON.stringify(join(ROOT, 'dist', 'tracing', 'preload.js'))}); process.stdout.write(String(Object.keys(require.cache).filter((k) => k.includes('@opentelemetry')).length))`],
        { env: { PATH: process.env.PATH ?? '', ...env } },
      ).toString();
    expect(probe({})).toBe('0');
    expect(probe({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1', OTEL_SDK_DISABLED: 'true' })).toBe('0');
    expect(Number(probe({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:1' }))).toBeGreaterThan(0);
  });
});
