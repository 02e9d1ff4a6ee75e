import { ROOT_CONTEXT, SamplingDecision, SpanKind, trace, TraceFlags } from '@opentelemetry/api';
import { tracing as sdkTrace } from '@opentelemetry/sdk-node';
import { RootDecision, samplerFromEnv } from './tracing';

// Issue 32: the sampling decision for a trace's root is taken once, before the instrumentations run, by
// the sampler the SDK is given; the trace a kept root then starts is the one the decision was taken on.
describe('RootDecision', () => {
  it('hands the trace id a ratio sampler kept to the root span started next, and a fresh one otherwise', () => {
    const sampler = new sdkTrace.TraceIdRatioBasedSampler(0.5);
    const root = new RootDecision(sampler);
    let kept = 0;
    for (let i = 0; i < 400; i++) {
      if (root.sampled(ROOT_CONTEXT, 'POST', SpanKind.SERVER)) {
        kept++;
        const traceId = root.generateTraceId();
        expect(sampler.shouldSample(ROOT_CONTEXT, traceId).decision).toBe(SamplingDecision.RECORD_AND_SAMPLED);
      }
      expect(root.generateTraceId()).toMatch(/^[0-9a-f]{32}$/); // nothing left over for a later root
    }
    expect(kept).toBeGreaterThan(100); // 200 expected; the ratio sampler drops about half
    expect(kept).toBeLessThan(300);
  });

  it('follows a caller\'s sampled flag with a parent-based sampler and keeps the caller\'s trace id', () => {
    const root = new RootDecision(samplerFromEnv({ OTEL_TRACES_SAMPLER: 'parentbased_always_off' }));
    const caller = (traceFlags: TraceFlags) =>
      trace.setSpanContext(ROOT_CONTEXT, { traceId: 'a'.repeat(32), spanId: 'b'.repeat(16), traceFlags, isRemote: true });
    expect(root.sampled(caller(TraceFlags.SAMPLED), 'POST', SpanKind.SERVER)).toBe(true);
    expect(root.generateTraceId()).not.toBe('a'.repeat(32)); // the span continues the caller's trace; no new id is handed over
    expect(root.sampled(caller(TraceFlags.NONE), 'POST', SpanKind.SERVER)).toBe(false);
    expect(root.sampled(ROOT_CONTEXT, 'POST', SpanKind.SERVER)).toBe(false);
  });
});

describe('samplerFromEnv (OTEL_TRACES_SAMPLER, OTEL_TRACES_SAMPLER_ARG)', () => {
  it.each([
    [{}, 'ParentBased{root=AlwaysOnSampler'],
    [{ OTEL_TRACES_SAMPLER: 'always_off' }, 'AlwaysOffSampler'],
    [{ OTEL_TRACES_SAMPLER: 'traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.25' }, 'TraceIdRatioBased{0.25}'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '0.1' }, 'ParentBased{root=TraceIdRatioBased{0.1}'],
    [{ OTEL_TRACES_SAMPLER: 'parentbased_traceidratio', OTEL_TRACES_SAMPLER_ARG: '7' }, 'ParentBased{root=TraceIdRatioBased{1}'],
  ])('%j gives %s', (env, expected) => {
    expect(samplerFromEnv(env).toString()).toContain(expected);
  });
});
