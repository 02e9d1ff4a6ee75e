import type { FastifyInstance, FastifyReply } from 'fastify';
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
 * Issue 30: at most `max` API reads are handled at once; one more waits its turn at most `waitMs` and is
 * then shed (503 problem+json, Retry-After) instead of queueing without end. Under 500 list clients every
 * request used to wait for the CPU before it even asked for a connection, so served lists, creates and
 * readiness all took seconds; a burst that clears within the wait (200 dashboards opening at once) is
 * still served. Writes (a create is what an agent waits for) are never held here, nor /health, /metrics,
 * the console or change-feed streams (open for hours). A read counts from when it is about to be
 * handled (after the list's 304 hook, which answers from memory) until its response closes, answered or
 * abandoned; one whose client leaves while it waits leaves the queue.
 */
export function registerLoadShedding(fastify: FastifyInstance, max: number, waitMs: number): void {
  let inFlight = 0;
  const queue: Waiting[] = [];
  const admit = (reply: FastifyReply, done: () => void) => {
    inFlight++;
    reply.raw.once('close', release);
    done();
  };
  function release(): void {
    inFlight--;
    const next = queue.shift();
    if (!next) return;
    clearTimeout(next.timer);
    next.reply.raw.off('close', next.gone);
    admit(next.reply, next.done);
  }
  const leave = (waiting: Waiting) => {
    const at = queue.indexOf(waiting);
    if (at >= 0) queue.splice(at, 1);
    clearTimeout(waiting.timer);
    waiting.reply.raw.off('close', waiting.gone);
  };
  fastify.addHook('preHandler', (request, reply, done) => {
    if (!READS.has(request.method) || !request.url.startsWith('/api/') || request.routeOptions.url?.endsWith('/stream')) return done();
    if (inFlight < max) return admit(reply, done);
    const waiting: Waiting = {
      reply,
      done,
      timer: setTimeout(() => {
        leave(waiting);
        sendProblem(unavailable('The service is overloaded; retry later', RETRY_AFTER_OVERLOADED_S), request, reply);
      }, waitMs),
      gone: () => leave(waiting),
    };
    reply.raw.once('close', waiting.gone);
    queue.push(waiting);
  });
}
