import { context, SpanKind, SpanStatusCode, trace, type Context } from '@opentelemetry/api';
import { OTLPTraceExporter as JsonExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { OTLPTraceExporter as ProtobufExporter } from '@opentelemetry/exporter-trace-otlp-proto';
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NestInstrumentation } from '@opentelemetry/instrumentation-nestjs-core';
import { PgInstrumentation } from '@opentelemetry/instrumentation-pg';
import { NodeSDK, tracing as sdkTrace } from '@opentelemetry/sdk-node';
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
 * HTTP, NestJS and pg; OTEL_NODE_DISABLED_INSTRUMENTATIONS (as auto-instrumentations-node names it, e.g.
 * `nestjs-core`) leaves some out: NestJS's handler spans cost the most CPU per request (docs/operations.md).
 */
function instrumentations(env: NodeJS.ProcessEnv) {
  const disabled = new Set((env.OTEL_NODE_DISABLED_INSTRUMENTATIONS ?? '').split(',').map((name) => name.trim()));
  return [
    new HttpInstrumentation({ ignoreIncomingRequestHook: (request) => UNTRACED_PATHS.test(request.url ?? '') }),
    disabled.has('nestjs-core') ? undefined : new NestInstrumentation(),
    disabled.has('pg') ? undefined : new PgInstrumentation({ requireParentSpan: true }),
  ].filter((instrumentation) => instrumentation !== undefined);
}

let sdk: NodeSDK | undefined;

/** Starts the SDK (traces only: metrics stay Prometheus's, logs stay stdout) and fills in the hooks of state.ts. */
export function startTracing(env: NodeJS.ProcessEnv = process.env): void {
  if (sdk) return;
  sdk = new NodeSDK({
    serviceName: env.OTEL_SERVICE_NAME ? undefined : SERVICE_NAME,
    spanProcessors: [new RequestIdProcessor(), new sdkTrace.BatchSpanProcessor(exporter(env))],
    metricReaders: [],
    logRecordProcessors: [],
    instrumentations: instrumentations(env),
  });
  sdk.start();
  const tracer = trace.getTracer(SERVICE_NAME);

  tracing.enabled = true;
  tracing.logFields = (): Record<string, string> => {
    const span = trace.getActiveSpan();
    if (!span) return {};
    const { traceId, spanId, traceFlags } = span.spanContext();
    return { trace_id: traceId, span_id: spanId, trace_flags: `0${traceFlags.toString(16)}` };
  };
  tracing.tagRequest = (requestId, method, route) => {
    const span = trace.getActiveSpan();
    if (!span?.isRecording()) return;
    span.setAttribute(REQUEST_ID_ATTRIBUTE, requestId);
    // the route pattern, as the metrics label it: the server span's name even without NestJS's spans
    if (route) span.setAttribute('http.route', route).updateName(`${method} ${route}`);
  };
  tracing.rootSpan = (name, attributes, work) =>
    tracer.startActiveSpan(name, { root: true, kind: SpanKind.INTERNAL, attributes }, context.active(), async (span) => {
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
  tracing.stop = async () => {
    await sdk?.shutdown();
    sdk = undefined;
  };
}

