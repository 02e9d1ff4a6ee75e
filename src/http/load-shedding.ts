import { Inject, Injectable } from '@nestjs/common';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { APP_CONFIG, type AppConfig, defaultMaxConcurrentReads } from '../config/config';
import { RETRY_AFTER_OVERLOADED_S } from '../database/faults';
import { unavailable } from '../common/problem';
import { sendProblem } from './problem.filter';

const READS = new Set(['GET', 'HEAD']);

interface Waiting {
  reply: FastifyReply;
  done: () => void;
  timer: NodeJS.Timeout;
  gone: () => void;
}

/**
 * Issue 30: at most `max` reads use the database at once, so that writes keep a connection. API reads
 * take a slot for their whole handling (registerLoadShedding); the change feed's own reader (its watcher,
 * src/changes/change-stream.ts) takes one for each of its reads, or reads while two connections are free
 * (API reads hold slots while they work on the CPU, not the database), and else skips a poll — it
 * was the one reader outside the count, and with the reads held on a lock it took the connection the
 * writes were left (an overload test seen flaky at stop 54).
 */
@Injectable()
export class ReadSlots {
  readonly max: number;
  private inFlight = 0;
  private readonly queue: Waiting[] = [];

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'maxConcurrentReads' | 'dbPoolSize'>) {
    this.max = config.maxConcurrentReads ?? defaultMaxConcurrentReads(config.dbPoolSize);
  }

  /** A slot for a background read, or null when every slot is taken (the caller tries again later). */
  tryTake(): (() => void) | null {
    if (this.inFlight >= this.max) return null;
    this.inFlight++;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release();
    };
  }

  /** An API read: handled now, or once a slot frees within `waitMs`, else 503. */
  admitRead(reply: FastifyReply, done: () => void, waitMs: number, onShed: () => void): void {
    if (this.inFlight < this.max) return this.admit(reply, done);
    const waiting: Waiting = {
      reply,
      done,
      timer: setTimeout(() => {
        this.leave(waiting);
        onShed();
      }, waitMs),
      gone: () => this.leave(waiting),
    };
    reply.raw.once('close', waiting.gone);
    this.queue.push(waiting);
  }

  private admit(reply: FastifyReply, done: () => void): void {
    this.inFlight++;
    reply.raw.once('close', () => this.release());
    done();
  }

  private release(): void {
    this.inFlight--;
    const next = this.queue.shift();
    if (!next) return;
    clearTimeout(next.timer);
    next.reply.raw.off('close', next.gone);
    this.admit(next.reply, next.done);
  }

  private leave(waiting: Waiting): void {
    const at = this.queue.indexOf(waiting);
    if (at >= 0) this.queue.splice(at, 1);
    clearTimeout(waiting.timer);
    waiting.reply.raw.off('close', waiting.gone);
  }
}

/**
 * Issue 30: at most `slots.max` API reads are handled at once; one more waits its turn at most `waitMs` and is
 * then shed (503 problem+json, Retry-After) instead of queueing without end. Under 500 list clients every
 * request used to wait for the CPU before it even asked for a connection, so served lists, creates and
 * readiness all took seconds; a burst that clears within the wait (200 dashboards opening at once) is
 * still served. Writes (a create is what an agent waits for) are never held here, nor /health, /metrics,
 * the console or change-feed streams (open for hours). A read counts from when it is about to be
 * handled (after the list's 304 hook, which answers from memory) until its response closes, answered or
 * abandoned; one whose client leaves while it waits leaves the queue.
 */
export function registerLoadShedding(fastify: FastifyInstance, slots: ReadSlots, waitMs: number): void {
  fastify.addHook('preHandler', (request, reply, done) => {
    if (!READS.has(request.method) || !request.url.startsWith('/api/') || request.routeOptions.url?.endsWith('/stream')) return done();
    slots.admitRead(reply, done, waitMs, () => sendProblem(unavailable('The service is overloaded; retry later', RETRY_AFTER_OVERLOADED_S), request, reply));
  });
}
