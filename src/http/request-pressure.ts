import { performance } from 'node:perf_hooks';
import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { APP_CONFIG, type AppConfig } from '../config/config';

// Issues 27 and 30: a replica answers its requests and delivers its outbox (R-W2) on one thread. When its
// requests are short of that thread, background work gives way to them: the thread was busy nearly all
// of the last sample and more requests are open than the database pool has connections, so requests
// are queueing in the replica. Either alone is not pressure: the dispatcher draining a backlog keeps the
// loop busy with no request waiting, and a load the replica keeps up with leaves requests few. On a
// machine whose cores are shared the loop is "busy" while it waits for a core too, so a paced load at
// half the service's rate already kept it over 90 % with 8 requests open (bench scenario 16: held back
// at 8, commit → delivery p99 494 ms against 72 ms). The signal is per replica; another replica with
// room goes on delivering.

/** How often the event loop's utilisation is sampled. */
export const SAMPLE_MS = 100;
/** Busier than this over a sample, the loop has no room left. */
export const BUSY_UTILISATION = 0.9;

/** Whether requests are pressed: the loop's utilisation over the last sample (0..1), the API requests open now and the pool's connections. */
export const pressed = (utilisation: number, open: number, connections: number): boolean => utilisation > BUSY_UTILISATION && open > connections;

/** Counts API requests from their arrival until their response closes (answered or abandoned); change-feed streams, probes, scrapes and the console are not counted. */
export function registerRequestPressure(fastify: FastifyInstance, pressure: RequestPressure): void {
  fastify.addHook('onRequest', (request, reply, done) => {
    if (request.url.startsWith('/api/') && !request.routeOptions.url?.endsWith('/stream')) {
      pressure.opened();
      reply.raw.once('close', () => pressure.closed());
    }
    done();
  });
}

@Injectable()
export class RequestPressure implements OnModuleDestroy {
  private open = 0;
  private measured = false;
  private forced?: boolean;
  private last = performance.eventLoopUtilization();
  private readonly eased = new Set<() => void>();
  private readonly timer: NodeJS.Timeout;

  constructor(@Inject(APP_CONFIG) private readonly config: Pick<AppConfig, 'dbPoolSize'>) {
    this.timer = setInterval(() => this.sample(), SAMPLE_MS);
    this.timer.unref();
  }

  /** Whether this replica's requests are pressed now. */
  get now(): boolean {
    return this.forced ?? this.measured;
  }

  opened(): void {
    this.open++;
  }

  closed(): void {
    this.open--;
  }

  /** Calls `listener` each time the pressure ends. */
  onEased(listener: () => void): () => void {
    this.eased.add(listener);
    return () => this.eased.delete(listener);
  }

  /** Tests: hold the signal at `value`; undefined measures again. */
  force(value: boolean | undefined): void {
    const was = this.now;
    this.forced = value;
    this.changed(was);
  }

  private sample(): void {
    const now = performance.eventLoopUtilization();
    const utilisation = performance.eventLoopUtilization(now, this.last).utilization;
    this.last = now;
    const was = this.now;
    this.measured = pressed(utilisation, this.open, this.config.dbPoolSize);
    this.changed(was);
  }

  private changed(was: boolean): void {
    if (was && !this.now) for (const listener of this.eased) listener();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
