import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { onRoutesWhere } from './route-hooks';
import type { Caller } from '../auth/roles';
import type { ReadRouter } from '../database/read-router';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * R-D1: every request that may have written (any method but GET, HEAD, OPTIONS) tells the read router,
 * as its answer is about to be sent — after its transaction committed — that its caller wrote. The
 * caller's next reads then wait for a replica that has replayed past it (ReadRouter.wrote).
 */
export function registerReadYourWrites(fastify: FastifyInstance, router: ReadRouter): void {
  // on the routes that may write only: a read (the dashboards' 304 above all) passes no hook for it
  const onSend = (request: FastifyRequest & { caller?: Caller }, _reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    if (request.caller) router.wrote(request.caller.sub); // a route that may write (onRoutesWhere below)
    done(null, payload);
  };
  onRoutesWhere(fastify, (method) => !READS.has(method), { onSend });
}
