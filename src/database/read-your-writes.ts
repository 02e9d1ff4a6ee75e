import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../auth/roles';
import type { ReadRouter } from './read-router';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * R-D1: every request that may have written (any method but GET, HEAD, OPTIONS) tells the read router,
 * as its answer is about to be sent — after its transaction committed — that its caller wrote. The
 * caller's next reads then wait for a replica that has replayed past it (ReadRouter.wrote).
 */
export function registerReadYourWrites(fastify: FastifyInstance, router: ReadRouter): void {
  fastify.addHook('onSend', (request: FastifyRequest & { caller?: Caller }, _reply, payload, done) => {
    if (!READS.has(request.method) && request.caller) router.wrote(request.caller.sub);
    done(null, payload);
  });
}
