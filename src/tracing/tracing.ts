import { context, propagation, ROOT_CONTEXT, SamplingDecision, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { core, NodeSDK, tracing as sdkTrace } from '@opentelemetry/sdk-node';
import { type IncomingMessage, Server } from 'node:http';
import { tracing } from './state';

/** The span attribute that carries the request's X-Request-Id (every span of its trace). */
export const REQUEST_ID_ATTRIBUTE = 'apkt.request_id';
const SERVICE_NAME = 'apkt-ticket-service';
// Scrapes and probes every few seconds would drown the request traces.
const UNTRACED_PATHS = /^\/(metrics|health\/(live|ready))(\?|$)/;

/** Copies the request id from a span's parent onto it, so every span of a request's trace carries it. */
class RequestIdProcessor implements sdkTrace.SpanProcessor {
  onStart(span: sdkTrace.Span, parent: Context): void {
    const from = trace.getSpan(parent) as unknown as { attributes?: Record<string, unknown> } | undefined;
    const requestId = from?.attributes?.[REQUEST_ID_ATTRIBUTE];
    if (typeof requestId === 'string') span.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
  }
  onEnd(): void {}
  forceFlush(): Promise<void> {
    return Promise.resolve();
  }
  shutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** OTLP over HTTP, protobuf by default or JSON (OTEL_EXPORTER_OTLP[_TRACES]_PROTOCOL=http/json); endpoint and headers from OTEL_*. */
function exporter(env: NodeJS.ProcessEnv): sdkTrace.SpanExporter {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim();
  if (protocol === 'http/json') return new JsonExporter();
  if (protocol !== 'http/protobuf') process.stderr.write(`tracing: OTLP protocol "${protocol}" is not supported here; using http/protobuf\n`);
  return new ProtobufExporter();
}

/**
 * OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG as the SDK reads them (its default, parentbased_always_on,
 * when unset or unknown), built here so the root decision below can ask the very sampler the SDK uses.
 */
export function samplerFromEnv(env: NodeJS.ProcessEnv = process.env): sdkTrace.Sampler {
  const name = (env.OTEL_TRACES_SAMPLER ?? '').trim();
  const ratio = (): number => {
    const arg = Number(env.OTEL_TRACES_SAMPLER_ARG);
    return env.OTEL_TRACES_SAMPLER_ARG?.trim() && arg >= 0 && arg <= 1 ? arg : 1;
  };
  const parentBased = (root: sdkTrace.Sampler) => new sdkTrace.ParentBasedSampler({ root });
  switch (name) {
    case 'always_on':
      return new sdkTrace.AlwaysOnSampler();
    case 'always_off':
      return new sdkTrace.AlwaysOffSampler();
    case 'traceidratio':
      return new sdkTrace.TraceIdRatioBasedSampler(ratio());
    case 'parentbased_always_off':
      return parentBased(new sdkTrace.AlwaysOffSampler());
    case 'parentbased_traceidratio':
      return parentBased(new sdkTrace.TraceIdRatioBasedSampler(ratio()));
    default:
      if (name && name !== 'parentbased_always_on') process.stderr.write(`tracing: OTEL_TRACES_SAMPLER "${name}" is not supported here; using parentbased_always_on\n`);
      return parentBased(new sdkTrace.AlwaysOnSampler());
  }
}

/**
 * The sampling decision for a trace's root, taken once, before any instrumentation runs (issue 32's cost:
 * 90 % of the creates are not sampled). A root that the sampler drops is not started at all: the request
 * (or job run, or delivery) runs with tracing suppressed and no span at all: the HTTP instrumentation skips
 * its attributes, the pg instrumentation every statement (requireParentSpan), NestJS's wrappers are not run
 * (RecordingOnlyNestInstrumentation) and log lines name no trace (there is none to look up).
 * A root it keeps gets the very trace id the decision was taken on (the ratio sampler decides by trace
 * id), handed to the tracer through its id generator on the next root span, which follows synchronously.
 */
export class RootDecision implements sdkTrace.IdGenerator {
  private readonly random = new sdkTrace.RandomIdGenerator();
  private decided: string | undefined;

  constructor(private readonly sampler: sdkTrace.Sampler) {}

  /**
   * True when a trace (continued from `parent`'s remote span, if any) named `name` is to be recorded; a new
   * root span must then be started next, synchronously.
   */
  sampled(parent: Context, name: string, kind: SpanKind): boolean {
    const remote = trace.getSpanContext(parent);
    const continued = remote !== undefined && trace.isSpanContextValid(remote);
    const traceId = continued ? remote.traceId : this.random.generateTraceId();
    const { decision } = this.sampler.shouldSample(parent, traceId, name, kind, {}, []);
    this.decided = decision === SamplingDecision.NOT_RECORD || continued ? undefined : traceId;
    return decision !== SamplingDecision.NOT_RECORD;
  }

  generateTraceId(): string {
    const decided = this.decided;
    this.decided = undefined;
    return decided ?? this.random.generateTraceId();
  }

  generateSpanId(): string {
    return this.random.generateSpanId();
  }
}

type Handler = (this: unknown, request: unknown, response: unknown, next: unknown) => unknown;
type Create = (this: unknown, ...args: unknown[]) => Handler;

const tracedCreate = new WeakMap<object, Create>();

/**
 * NestJS's instrumentation (a span for the controller method and one for its handler) for the requests
 * that are traced only. Its wrappers run for every request otherwise, untraced ones included: two extra
 * async layers, their attributes and two context switches, ~5 % of a create's CPU for spans that are
 * dropped. Each route's handler is built twice at start-up, with the instrumentation's wrappers and
 * without; a request runs the first when its trace is recorded (the HTTP server span is), else the second.
 */
class RecordingOnlyNestInstrumentation extends NestInstrumentation {
  override init() {
    const definition = super.init();
    for (const file of definition.files) {
      if (!file.name.endsWith('router-execution-context.js')) continue;
      const { patch, unpatch } = file;
      // by hand, not this._wrap: that would undo NestJS's own wrapper first (one wrapper per method)
      file.patch = (exports: { RouterExecutionContext: { prototype: { create: Create } } }, version?: string) => {
        const prototype = exports.RouterExecutionContext.prototype;
        const plain = prototype.create;
        const patched = patch(exports, version) as typeof exports;
        const traced = prototype.create;
        prototype.create = function create(this: unknown, ...args: unknown[]) {
          const withSpans = traced.apply(this, args);
          const without = plain.apply(this, args);
          return function handle(this: unknown, request: unknown, response: unknown, next: unknown) {
            return (trace.getActiveSpan()?.isRecording() ? withSpans : without).call(this, request, response, next);
          };
        };
        tracedCreate.set(prototype, traced);
        return patched;
      };
      file.unpatch = (exports: { RouterExecutionContext: { prototype: { create: Create } } }, version?: string) => {
        const prototype = exports.RouterExecutionContext.prototype;
        const traced = tracedCreate.get(prototype);
        if (traced) prototype.create = traced; // NestJS's unpatch then restores the original
        unpatch(exports, version);
      };
    }
    return definition;
  }
}

/** Set on a request whose trace the sampler kept before the HTTP instrumentation saw it (see decideAtTheDoor). */
const KEPT = Symbol('apkt.tracing.kept');
type Vetted = IncomingMessage & { [KEPT]?: true };

/** True when a request's trace is to be recorded: the decision of RootDecision.sampled, or no trace for probes and scrapes. */
function keep(root: RootDecision, request: IncomingMessage): boolean {
  if (UNTRACED_PATHS.test(request.url ?? '')) return false;
  return root.sampled(propagation.extract(ROOT_CONTEXT, request.headers), request.method ?? 'GET', SpanKind.SERVER);
}

/**
 * HTTP, NestJS and pg; OTEL_NODE_DISABLED_INSTRUMENTATIONS (as auto-instrumentations-node names it, e.g.
 * `nestjs-core`) leaves some out.
 */
function instrumentations(env: NodeJS.ProcessEnv, root: RootDecision) {
  const disabled = new Set((env.OTEL_NODE_DISABLED_INSTRUMENTATIONS ?? '').split(',').map((name) => name.trim()));
  return [
    new HttpInstrumentation({
      // true: not traced. A request decideAtTheDoor let through was kept (its trace id is waiting in the id
      // generator); any other one is decided here, as the instrumentation would without that door.
      ignoreIncomingRequestHook: (request) => ((request as Vetted)[KEPT] ? false : !keep(root, request)),
      // an outgoing call (a provider's keys, say) is traced inside a kept trace only, never as a root of its own
      requireParentforOutgoingSpans: true,
    }),
    disabled.has('nestjs-core') ? undefined : new RecordingOnlyNestInstrumentation(),
    // statements only inside a trace; the pool's connect spans say nothing a statement span does not
    disabled.has('pg') ? undefined : new PgInstrumentation({ requireParentSpan: true, ignoreConnectSpans: true }),
  ].filter((instrumentation) => instrumentation !== undefined);
}

/** Runs `work` in no context, so in no trace (a server's events arrive in none: then one AsyncLocalStorage read). */
function inNoContext<T>(work: () => T): T {
  return context.active() === ROOT_CONTEXT ? work() : context.with(ROOT_CONTEXT, work);
}

/**
 * The sampling decision at the server's `request` event, before the HTTP instrumentation's wrapper (issue 32):
 * a dropped request goes straight to the server's own `emit`. The wrapper would otherwise run it inside a
 * suppressed context and bind its request and response to it: two emitters patched per request and every
 * listener on them re-entering the context manager. With nothing sampled, a create cost 1.35× the CPU of an
 * untraced one with that wrapper, 1.11–1.14× without (bench scenario 11, BENCH_T11_ENV in its source). In
 * no context, the pg instrumentation skips the request's statements (requireParentSpan) as before.
 */
function decideAtTheDoor(root: RootDecision): () => void {
  type Emit = (this: Server, event: string | symbol, ...args: unknown[]) => boolean;
  // the instrumentation patches a core module on its first require after sdk.start(): this one
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('http');
  const instrumented = Server.prototype.emit as Emit & { __original?: Emit };
  if (typeof instrumented.__original !== 'function') return () => undefined; // not wrapped by the instrumentation: nothing to skip
  const plain = instrumented.__original;
  Server.prototype.emit = function emit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event !== 'request') return plain.call(this, event, ...args);
    const request = args[0] as Vetted;
    if (!keep(root, request)) return inNoContext(() => plain.call(this, event, ...args));
    request[KEPT] = true;
    return instrumented.call(this, event, ...args);
  } as Server['emit'];
  return () => {
    if (Server.prototype.emit !== instrumented) Server.prototype.emit = instrumented as Server['emit'];
  };
}

type Connect = (this: unknown, callback?: unknown) => unknown;

/**
 * pg-pool's connect callbacks run in their caller's context. A caller that finds no idle connection waits,
 * and pg-pool calls it back from the request that gives one back, in that request's context: the waiting
 * request's statement (pool.query issues it from that callback) went into the other request's trace,
 * twenty of them into one under load, and a sampled request's own statement into some other trace or none.
 * The pg instrumentation binds the callback to its caller only inside a trace (requireParentSpan); here every
 * callback is bound, so an untraced caller's statement runs untraced too. A promise needs none: it resumes
 * in its awaiter's context.
 */
function bindPoolCallbacks(): () => void {
  // the instrumentation patches pg and pg-pool on their first require after sdk.start(): this one
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require('pg') as { Pool: { prototype: object } };
  const prototype = Object.getPrototypeOf(pg.Pool.prototype) as { connect: Connect }; // pg-pool's Pool
  const connect = prototype.connect;
  prototype.connect = function boundConnect(this: unknown, callback?: unknown) {
    return connect.call(this, typeof callback === 'function' ? context.bind(context.active(), callback) : callback);
  };
  return () => {
    if (prototype.connect !== connect) prototype.connect = connect;
  };
}

let sdk: NodeSDK | undefined;

/** How long a stop waits for the exporter to send the last spans (SIGTERM's 9 s deadline, src/main.ts, must hold). */
export const STOP_EXPORT_MS = 2_000;
/** What startTracing patched besides the instrumentations, each undone by stop. */
let undoPatches: (() => void)[] = [];

/** Starts the SDK (traces only: metrics stay Prometheus's, logs stay stdout) and fills in the hooks of state.ts. */
export function startTracing(env: NodeJS.ProcessEnv = process.env): void {
  if (sdk) return;
  const sampler = samplerFromEnv(env);
  const root = new RootDecision(sampler);
  sdk = new NodeSDK({
    sampler,
    idGenerator: root,
    serviceName: env.OTEL_SERVICE_NAME ? undefined : SERVICE_NAME,
    spanProcessors: [new RequestIdProcessor(), new sdkTrace.BatchSpanProcessor(exporter(env))],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrumentations(env, root),
  });
  sdk.start();
  undoPatches = [decideAtTheDoor(root), bindPoolCallbacks()];
  const tracer = trace.getTracer(SERVICE_NAME);

  tracing.enabled = true;
  tracing.logFields = (): Record<string, string> => {
    const spanContext = trace.getActiveSpan()?.spanContext();
    if (!spanContext || !trace.isSpanContextValid(spanContext)) return {};
    const { traceId, spanId, traceFlags } = spanContext;
    return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}` };
  };
  tracing.tagRequest = (requestId, method, route) => {
    const span = trace.getActiveSpan();
    if (!span?.isRecording()) return;
    span.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
    // the route pattern, as the metrics label it: the server span's name even without NestJS's spans
    if (route) span.setAttribute('http.route', route).updateName(`${method} ${route}`);
  };
  // A trace of its own, whatever context the run was started from (a request's, traced or not): a run
  // the sampler drops runs untraced, so its statements cost no span work either.
  tracing.rootSpan = (name, attributes, work) => {
    if (!root.sampled(ROOT_CONTEXT, name, SpanKind.INTERNAL)) return context.with(core.suppressTracing(ROOT_CONTEXT), work);
    return tracer.startActiveSpan(name, { root: true, kind: SpanKind.INTERNAL, attributes }, ROOT_CONTEXT, async (span) => {
      try {
        return await work();
      } catch (error) {
        span.recordException(error as Error);
        span.setStatus({ code: SpanStatusCode.ERROR, message: (error as Error).message });
        throw error;
      } finally {
        span.end();
      }
    });
  };
  tracing.detached = inNoContext;
  tracing.stop = async () => {
    for (const undo of undoPatches.splice(0)) undo();
    // the last spans get a short while: a collector that is away must not hold a SIGTERM past the
    // orchestrator's grace period (the exporter's own time-out is 10 s; an outside audit saw 8–11 s stops)
    const shutdown = sdk?.shutdown();
    sdk = undefined;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`the OTLP collector did not take the last spans within ${STOP_EXPORT_MS} ms`)), STOP_EXPORT_MS)));
    try {
      await Promise.race([shutdown, late]);
    } finally {
      clearTimeout(timer);
    }
  };
}

