import { tracingWanted } from './state';

// The first import of src/main.ts: instrumentations patch `http` and `pg` only for modules loaded after
// them. Without OTEL_EXPORTER_OTLP_ENDPOINT nothing of OpenTelemetry is loaded at all.
if (tracingWanted()) {
  (require('./tracing') as typeof import('./tracing')).startTracing();
}
