import { performance } from 'node:perf_hooks';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';

// Issues 27 and 30: a replica answers its requests and delivers its outbox (R-W2) on one thread. When its
// requests are short of that thread, background work gives way to them: the thread was busy nearly all
// of the last sample and requests are waiting. Either alone is not pressure: the dispatcher draining a
// backlog keeps the loop busy with no request waiting, and a paced load keeps requests open while the
// loop has room. The signal is per replica; another replica with room goes on delivering.

/** How often the event loop's utilisation is sampled. */
export const SAMPLE_MS = 100;
/** Busier than this over a sample, the loop has no room left. */
export const BUSY_UTILISATION = 0.9;
/** At least this many API requests open at the sample's end are waiting on it. */
export const WAITING_REQUESTS = 8;

/** Whether requests are pressed: the loop's utilisation over the last sample (0..1) and the API requests open now. */
export const pressed = (utilisation: number, open: number): boolean => utilisation > BUSY_UTILISATION && open >= WAITING_REQUESTS;

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

  constructor() {
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
    this.measured = pressed(utilisation, this.open);
    this.changed(was);
  }

  private changed(was: boolean): void {
    if (was && !this.now) for (const listener of this.eased) listener();
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
  }
}
