import { Injectable, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { PrismaService } from '../database/prisma.service';
import { HealthPort, type HealthPortProblems } from './health-port';

/** How often the database is checked in the background. */
export const READINESS_CHECK_INTERVAL_MS = 500;
/**
 * How old a check may be and still answer /health/ready. Past it (the checks are late: a database that
 * hangs without closing the connection, or a stalled process), a request waits for a check of its own,
 * bounded by the probe connection's 2 s timeout.
 */
export const READINESS_FRESH_MS = 2_000;

/**
 * Issue 30: /health/ready used to run its `SELECT 1` per request. Under overload (scenario 14: 500 list
 * clients and 32 creating on 2 cores) that round trip alone took 25–155 ms — PostgreSQL busy and one more
 * turn of a saturated event loop for the answer — on top of the two turns the request itself needs (its
 * connection accepted, then read). The database is now checked every READINESS_CHECK_INTERVAL_MS on the
 * probe's own connection, and a request is answered from the last result while it is at most
 * READINESS_FRESH_MS old. It does not go stale silently: a lost connection (PostgreSQL stopping, FATAL
 * 57P01) drops the result at once, so the next request waits for a new check and answers 503 if it fails.
 */
@Injectable()
export class Readiness implements OnModuleInit, OnModuleDestroy {
  private last?: { ok: boolean; at: number };
  private running?: Promise<boolean>;
  private timer?: NodeJS.Timeout;
  private stopListening?: () => void;
  private healthPort?: HealthPort;

  constructor(private readonly prisma: PrismaService) {}

  onModuleInit(): void {
    this.stopListening = this.prisma.onConnectionLost(() => {
      this.last = undefined;
      this.healthPort?.dropped();
    });
    void this.check();
    this.timer = setInterval(() => {
      this.healthPort?.tick();
      void this.check();
    }, READINESS_CHECK_INTERVAL_MS);
    this.timer.unref();
  }

  /**
   * HEALTH_PORT (opt-in): the same two answers on a port of their own, from a thread of its own
   * (src/health/health-port.ts). Opened once PORT listens (HealthController.openHealthPort); resolves with the port.
   */
  async openHealthPort(port: number, host: string, problems: HealthPortProblems): Promise<number> {
    this.healthPort = new HealthPort();
    if (this.last) this.healthPort.checked(this.last.ok, performance.now() - this.last.at);
    return this.healthPort.start(port, host, READINESS_FRESH_MS, problems);
  }

  /** The service stops: the health port answers 503 from now on (PORT does so itself while it closes). */
  stopping(): void {
    this.healthPort?.stopping();
  }

  async onModuleDestroy(): Promise<void> {
    clearInterval(this.timer);
    this.stopListening?.();
    await this.healthPort?.stop();
  }

  /** Whether the database answered: from a recent check, or from one run now. */
  async ready(): Promise<boolean> {
    const last = this.last;
    if (last && performance.now() - last.at <= READINESS_FRESH_MS) return last.ok;
    return this.check();
  }

  /** One check at a time: a request arriving while one runs shares it. */
  private check(): Promise<boolean> {
    this.running ??= this.prisma.ping().then(
      () => true,
      () => false,
    ).then((ok) => {
      this.last = { ok, at: performance.now() };
      this.healthPort?.checked(ok);
      this.running = undefined;
      return ok;
    });
    return this.running;
  }
}
