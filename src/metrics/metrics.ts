import { Controller, Get, Global, Header, Module } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Public } from '../auth/roles';

// Prometheus metrics: HTTP duration by route and status (named as API.md names it), process defaults, and
// the service's own metrics, prefixed apkt_: the jobs' counters and the gauges operators alert on, which
// the owning modules compute at scrape time (registerGauge) with small indexed queries.
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds',
    labelNames: ['method', 'route', 'status_code'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly jobActions = new Counter({
    name: 'apkt_jobs_actions_total',
    help: 'Tickets and items acted on by the scheduled jobs',
    labelNames: ['job', 'action'],
    registers: [this.registry],
  });
  readonly jobRunDuration = new Histogram({
    name: 'apkt_jobs_run_duration_seconds',
    help: 'Duration of one run of a scheduled job',
    labelNames: ['job'],
    registers: [this.registry],
  });

  readonly ticketsReceived = new Counter({
    name: 'apkt_tickets_received_total',
    help: 'Tickets created, by kind and unit (intake, auto-transfer, every path)',
    labelNames: ['kind', 'unit'],
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Gauges read from the database that could not be read at a scrape (the database away): left out, counted here. */
  readonly gaugeReadFailures = new Counter({
    name: 'apkt_metrics_gauge_read_failures_total',
    help: 'Scrapes at which a gauge read from the database could not be read (the gauge is left out of that scrape)',
    labelNames: ['gauge'],
    registers: [this.registry],
  });

  /**
   * A gauge whose values are read when Prometheus scrapes (one sample per label set). If the read fails
   * (the database is down) the gauge has no samples in that scrape and the failure is counted: the
   * process, HTTP and job metrics are still answered (API.md Operations), so a database outage is seen on
   * the dashboards rather than hiding them.
   */
  registerGauge(name: string, help: string, labelNames: string[], read: () => Promise<{ labels?: Record<string, string>; value: number }[]>): void {
    const failures = this.gaugeReadFailures;
    new Gauge({
      name,
      help,
      labelNames,
      registers: [this.registry],
      async collect() {
        this.reset();
        let samples: { labels?: Record<string, string>; value: number }[];
        try {
          samples = await read();
        } catch {
          failures.inc({ gauge: name });
          return;
        }
        for (const sample of samples) this.set(sample.labels ?? {}, sample.value);
      },
    });
  }

  observeHttp(fastify: FastifyInstance): void {
    fastify.addHook('onResponse', (request, reply, done) => {
      this.observe(request, reply.statusCode, reply.elapsedTime / 1000);
      done();
    });
  }

  /** One request; also a request whose client went away, which has no response (src/http/client-gone.ts). */
  observe(request: FastifyRequest, status: number, seconds: number): void {
    this.httpDuration.observe({ method: request.method, route: request.routeOptions.url ?? 'unmatched', status_code: String(status) }, seconds);
  }
}

@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Public()
  @Get()
  @Header('content-type', 'text/plain; version=0.0.4; charset=utf-8')
  scrape(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}

@Global()
@Module({ providers: [Metrics], exports: [Metrics], controllers: [MetricsController] })
export class MetricsModule {}
