import { Injectable, type OnModuleInit } from '@nestjs/common';
import { Counter } from 'prom-client';
import { Clock } from '../clock/clock';
import { RequestPressure } from '../http/request-pressure';
import { Metrics } from '../metrics/metrics';
import { OutboundRepository } from './outbound.repository';

/** Outbox backlog, oldest pending age and attempts by outcome, per endpoint (`email` for mail). */
@Injectable()
export class OutboundMetrics implements OnModuleInit {
  private readonly attempts: Counter;

  constructor(
    private readonly metrics: Metrics,
    private readonly repository: OutboundRepository,
    private readonly clock: Clock,
    private readonly pressure: RequestPressure,
  ) {
    this.attempts = new Counter({
      name: 'apkt_outbound_attempts_total',
      help: 'Delivery attempts of outbound messages by endpoint and outcome (delivered, retry, failed)',
      labelNames: ['endpoint', 'outcome'],
      registers: [metrics.registry],
    });
  }

  onModuleInit(): void {
    const backlog = () => this.repository.backlog();
    this.metrics.registerGauge('apkt_outbound_backlog', 'Outbound messages waiting to be delivered, per endpoint', ['endpoint'], async () =>
      (await backlog()).map((b) => ({ labels: { endpoint: b.endpoint }, value: b.n })),
    );
    this.metrics.registerGauge('apkt_outbound_oldest_pending_seconds', 'Age of the oldest outbound message not yet delivered, per endpoint', ['endpoint'], async () => {
      const now = this.clock.now().getTime();
      return (await backlog()).map((b) => ({ labels: { endpoint: b.endpoint }, value: Math.max(0, (now - b.oldest.getTime()) / 1000) }));
    });
    this.metrics.registerGauge('apkt_outbound_giving_way', 'Whether this replica\'s deliveries give way to its requests, pressed for its thread (1), or go at full pace (0)', [], async () => [
      { value: this.pressure.now ? 1 : 0 },
    ]);
  }

  attempt(endpoint: string, outcome: 'delivered' | 'retry' | 'failed'): void {
    this.attempts.inc({ endpoint, outcome });
  }
}
