import type { FastifyInstance } from 'fastify';
import { RETRY_AFTER_OVERLOADED_S } from '../database/faults';
import { unavailable } from './problem';
import { sendProblem } from './problem.filter';

const READS = new Set(['GET', 'HEAD']);

/**
 * Issue 30: reads of the API beyond `max` at once are shed on arrival (503 problem+json, Retry-After)
 * instead of queueing in the event loop behind each other. Under 500 list clients every request used to
 * wait its turn for the CPU before it even asked for a connection, so served lists, creates and
 * readiness all took seconds; with the reads bounded, what is admitted is served quickly, writes (a
 * create is what an agent waits for) are never shed here, and /health, /metrics and the console stay
 * outside. A read counts from when it is about to be handled (after the list's 304 hook, which answers
 * from memory) until its response closes, answered or abandoned; a change-feed stream, open for hours,
 * does not count.
 */
export function registerLoadShedding(fastify: FastifyInstance, max: number): void {
  let inFlight = 0;
  const release = () => void inFlight--;
  fastify.addHook('preHandler', (request, reply, done) => {
    if (!READS.has(request.method) || !request.url.startsWith('/api/') || request.routeOptions.url?.endsWith('/stream')) return done();
    if (inFlight >= max) return sendProblem(unavailable('The service is overloaded; retry later', RETRY_AFTER_OVERLOADED_S), request, reply);
    inFlight++;
    reply.raw.once('close', release);
    done();
  });
}
