import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Caller } from '../auth/roles';
import { seenIn } from './access-extract';
import type { AccessLog } from './access-log';

/**
 * R-P1 in one place: every successful answer of a route that carries personal data is recorded with its
 * caller, route template and request id, and the tickets and customers it showed — read from the answer
 * object before Fastify serialises it (preSerialization), so recording costs no parse and no query.
 */
export function registerAccessLog(fastify: FastifyInstance, log: AccessLog): void {
  // a callback hook, not an async one: every answer passes here (issue 30)
  fastify.addHook('preSerialization', (request: FastifyRequest & { caller?: Caller }, reply, payload, done) => {
    const caller = request.caller;
    if (!caller || reply.statusCode >= 300) return done(null, payload);
    try {
      const route = request.routeOptions.url;
      const seen = seenIn(request.method, route, payload, request.query as Record<string, unknown>, request.params as Record<string, string>);
      if (seen.length) log.record({ sub: caller.sub, role: caller.role, endpoint: `${request.method} ${route}`, requestId: String(request.id), seen });
    } catch (error) {
      return done(error as Error);
    }
    done(null, payload);
  });
}
