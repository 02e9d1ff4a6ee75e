import type { FastifyInstance } from 'fastify';
import { callerOf, type TokenVerifier } from '../auth/jwt';
import { actingAs, actingRole, type Caller, type Role, ROLES_KEY } from '../auth/roles';
import { ifNoneMatchMatches, parseTagList } from '../http/preconditions';
import { TicketsController } from './tickets.controller';
import type { ListQuery, TicketsService } from './tickets.service';
import { ANY_UNIT_CODE } from '../units/unit-tree.rules';

const LIST_ROUTE = '/api/v1/tickets';

/**
 * The unit dashboards' poll (issue 15): `GET /api/v1/tickets` with an If-None-Match that is still
 * current is answered 304 in a Fastify hook, before Nest's guards, pipes and interceptors, which cost
 * most of a 304. It answers only when the full route would answer the same 304 — a valid token with a
 * role of the route, and the ETag the full answer would carry (TicketsService.listEtag) matching — and
 * otherwise lets the request go on to the route untouched, which then answers 200, 4xx or the 304 itself.
 * An ETag only ever comes from a 200 of the same caller scope and query, so a query the route would
 * refuse never matches one (`*`, which matches anything, is left to the route). The hooks of every request (request id, CORS, metrics, the log line) run as
 * for any other answer.
 */
export function registerListNotModified(fastify: FastifyInstance, tickets: TicketsService, verifier: TokenVerifier): void {
  const roles = Reflect.getMetadata(ROLES_KEY, TicketsController.prototype.list) as readonly Role[];
  fastify.addHook('preHandler', async (request, reply) => {
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch === undefined || request.method !== 'GET' || request.routeOptions.url !== LIST_ROUTE) return;
    if (parseTagList(ifNoneMatch) === '*') return; // matches any ETag, so also a query the route refuses
    const verified = await callerOf(request.headers.authorization, verifier);
    const role = verified && actingRole(verified, roles);
    if (!verified || !role) return;
    const caller = actingAs(verified, role); // R-U3: as the guard would
    (request as typeof request & { caller?: Caller }).caller = caller; // verified once: the guard reuses it
    const query = request.query as ListQuery;
    // scopes are unit codes: a malformed one goes to the route (400) without a marker remembered for it
    if (caller.role !== 'unit' && query.unitCode !== undefined && !ANY_UNIT_CODE.test(query.unitCode)) return;
    const etag = await tickets.listEtag(caller, query);
    if (!ifNoneMatchMatches(ifNoneMatch, etag)) return;
    return reply.header('etag', etag).code(304).send();
  });
}
