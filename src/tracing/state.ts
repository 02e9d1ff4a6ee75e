// What the rest of the service asks of tracing, without loading OpenTelemetry: src/tracing/tracing.ts
// fills these in when it starts (OTEL_EXPORTER_OTLP_ENDPOINT set); otherwise they stay no-ops and no
// OpenTelemetry module is ever required.
export interface TracingHooks {
  /** The active span's ids for a log line (pino mixin). */
  logFields(): Record<string, string>;
  /** Marks the request's span (the HTTP server span) with its request id and route pattern. */
  tagRequest(requestId: string, method: string, route: string | undefined): void;
  /** Runs `work` as the root span of a trace of its own (a job run). */
  rootSpan<T>(name: string, attributes: Record<string, string>, work: () => Promise<T>): Promise<T>;
  /**
   * Runs `work` in no trace at all: a component's own work that some request or delivery merely set off
   * (the outbox's claim woken by a commit, its batched writes), which belongs to none of their traces.
   */
  detached<T>(work: () => T): T;
  /** Sends the spans still buffered (shutdown). */
  stop(): Promise<void>;
}

export const tracing: TracingHooks & { enabled: boolean } = {
  enabled: false,
  logFields: () => ({}),
  tagRequest: () => undefined,
  rootSpan: (_name, _attributes, work) => work(),
  detached: (work) => work(),
  stop: () => Promise.resolve(),
};

/** Tracing is on when an OTLP endpoint is configured and the SDK is not disabled (standard OTEL_* variables). */
export function tracingWanted(env: NodeJS.ProcessEnv = process.env): boolean {
  const endpoint = env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  return Boolean(endpoint) && !/^(true|1)$/i.test(env.OTEL_SDK_DISABLED ?? '') && (env.OTEL_TRACES_EXPORTER ?? 'otlp') !== 'none';
}
