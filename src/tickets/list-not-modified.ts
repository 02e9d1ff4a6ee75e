import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { callerOf, type TokenVerifier } from '../auth/jwt';
import { actingAs, actingRole, type Caller, type Role, ROLES_KEY } from '../auth/roles';
import { ClientGone } from '../http/client-gone';
import { ifNoneMatchMatches } from '../http/preconditions';
import { sendProblem } from '../http/problem.filter';
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
 *
 * Issue 30: when the token, the unit tree and the scope's marker are all remembered (a dashboard's
 * usual poll) the hook answers without a promise; otherwise it waits for them, and a marker it has to
 * read is cancelled when the client leaves (ChangeMarkers), a fault answered as the route would (503).
 */
export function registerListNotModified(fastify: FastifyInstance, tickets: TicketsService, verifier: TokenVerifier): void {
  const roles = Reflect.getMetadata(ROLES_KEY, TicketsController.prototype.list) as readonly Role[];
  type Request = FastifyRequest & { caller?: Caller };

  /** The caller the route would act as, or undefined (the route answers 401/403). */
  const acting = (request: Request, verified: Caller | undefined): Caller | undefined => {
    const role = verified && actingRole(verified, roles);
    if (!verified || !role) return undefined;
    const caller = actingAs(verified, role); // R-U3: as the guard would
    request.caller = caller; // verified once: the guard reuses it
    return caller;
  };
  const answer = (reply: FastifyReply, ifNoneMatch: string, etag: string): boolean => {
    if (!ifNoneMatchMatches(ifNoneMatch, etag)) return false;
    void reply.header('etag', etag).code(304).send();
    return true;
  };

  async function waited(request: Request, reply: FastifyReply, ifNoneMatch: string): Promise<boolean> {
    const caller = acting(request, await callerOf(request.headers.authorization, verifier));
    if (!caller) return false;
    return answer(reply, ifNoneMatch, await tickets.listEtag(caller, request.query as ListQuery, new ClientGone(reply)));
  }

  // onRequest, after the request id, CORS and 405 hooks: a 304 needs neither the input checks (a query they
  // would refuse never had a 200, so never an ETag to match) nor the read limit (it reads nothing)
  fastify.addHook('onRequest', (request: Request, reply, done) => {
    const ifNoneMatch = request.headers['if-none-match'];
    if (ifNoneMatch === undefined || request.method !== 'GET' || request.routeOptions.url !== LIST_ROUTE) return done();
    if (ifNoneMatch.trim() === '*') return done(); // matches any ETag, so also a query the route refuses (parseTagList's `*`)
    const query = request.query as ListQuery;
    // scopes are unit codes: a malformed one goes to the route (400) without a marker remembered for it
    if (query.unitCode !== undefined && !ANY_UNIT_CODE.test(query.unitCode)) return done();
    const known = verifier.rememberedHeader(request.headers.authorization);
    if (known) {
      const caller = acting(request, known);
      if (!caller) return done();
      const etag = tickets.listEtagNow(known, request.url, caller, query);
      if (etag !== undefined) return answer(reply, ifNoneMatch, etag) ? undefined : done();
    }
    waited(request, reply, ifNoneMatch).then(
      (answered) => answered || done(),
      (error: unknown) => sendProblem(error, request, reply),
    );
  });
}
