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
  const recorded = new WeakSet<FastifyRequest>();
  const record = (request: LoggedRequest, caller: Caller, payload: unknown) => {
    const route = request.routeOptions.url;
    const seen = seenIn(request.method, route, payload, request.query as Record<string, unknown>, request.params as Record<string, string>);
    if (seen.length) log.record({ sub: caller.sub, role: caller.role, endpoint: `${request.method} ${route}`, requestId: String(request.id), seen });
    recorded.add(request);
  };
  // a callback hook, not an async one: every answer passes here (issue 30)
  fastify.addHook('preSerialization', (request: LoggedRequest, reply, payload, done) => {
    const caller = request.caller;
    if (!caller || reply.statusCode >= 300) return done(null, payload);
    try {
      record(request, caller, payload);
    } catch (error) {
      return done(error as Error);
    }
    done(null, payload);
  });
  // An answer sent again for an Idempotency-Key (src/http/replay.ts) is already text, which
  // preSerialization never sees: it carries the same personal data to the caller, so it is recorded
  // too, under this request's id. Registered after the idempotency hooks, so it sees the replayed text.
  fastify.addHook('onSend', (request: LoggedRequest, reply, payload, done) => {
    const caller = request.caller;
    if (!caller || reply.statusCode >= 300 || typeof payload !== 'string' || reply.getHeader('idempotent-replayed') !== 'true' || recorded.has(request)) return done(null, payload);
    try {
      record(request, caller, JSON.parse(payload));
    } catch (error) {
      request.log.error({ err: error }, 'a replayed answer could not be recorded (R-P1)'); // the answer stands: its work is committed
    }
    done(null, payload);
  });
}

type LoggedRequest = FastifyRequest & { caller?: Caller };
