import { ArgumentsHost, Catch, ExceptionFilter, HttpException } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { rootLogger } from '../logging/logger';
import { ClientGoneError } from '../database/cancellable';
import { databaseFault, RETRY_AFTER_DOWN_S, RETRY_AFTER_OVERLOADED_S } from '../database/faults';
import { CLIENT_GONE_STATUS } from './client-gone';
import { DomainException } from '../common/domain.exception';
import { problemOf } from './domain-problems';
import { Problem, ProblemCode, problemForStatus, unavailable } from '../common/problem';
import { IdempotentReplay, replayed } from './replay';

// Turns anything thrown into application/problem+json. 4xx from the framework (Fastify's body parser,
// Nest's router) keep their status; anything else is a 500 that names the request id and hides the stack.
export function toProblem(error: unknown): Problem {
  if (error instanceof Problem) return error;
  if (error instanceof DomainException) return problemOf(error);
  if (error instanceof HttpException) {
    const status = error.getStatus();
    if (status === 404) return new Problem(ProblemCode.NOT_FOUND, error.message);
    return problemForStatus(status, error.message);
  }
  const fastifyError = error as { statusCode?: number; code?: string; message?: string };
  if (typeof fastifyError?.statusCode === 'number' && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    if (fastifyError.statusCode === 400) return new Problem(ProblemCode.MALFORMED_BODY, fastifyError.message ?? 'Bad request');
    return problemForStatus(fastifyError.statusCode, fastifyError.message ?? 'Request rejected');
  }
  const fault = databaseFault(error);
  if (fault === 'down') return unavailable('The database is unavailable; retry with the same Idempotency-Key', RETRY_AFTER_DOWN_S);
  if (fault === 'overloaded') return unavailable('The service is overloaded; retry with the same Idempotency-Key', RETRY_AFTER_OVERLOADED_S);
  return new Problem(ProblemCode.INTERNAL, 'An unexpected error occurred');
}

// Shed or failed-over requests come by the hundred a second under overload, and a warning with its
// stack for each is what an overloaded process can least afford (issue 30: pino's synchronous writes
// blocked on a full pipe): per kind, the first in each second is logged with how many followed the last.
const unavailableLogged = new Map<string, { at: number; since: number }>();
function warnUnavailable(error: unknown, reqId: string, detail: string): void {
  const now = Date.now();
  const last = unavailableLogged.get(detail);
  if (last && now - last.at < 1000) {
    last.since++;
    return;
  }
  rootLogger.warn({ err: error, reqId, alsoSinceLast: last?.since ?? 0 }, detail);
  unavailableLogged.set(detail, { at: now, since: 0 });
}

export function sendProblem(error: unknown, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof IdempotentReplay) return void reply.send(replayed(reply, error.answer)); // not a problem: an earlier answer
  // Nobody is there to read it: logged and counted when the client left (client-gone.ts), not an error.
  if (error instanceof ClientGoneError) return void reply.status(CLIENT_GONE_STATUS).send();
  const problem = toProblem(error);
  const body = problem.body(request.url);
  // Fastify answers a bad URL before the hook that echoes the request id: echo it here too.
  void reply.header('x-request-id', request.id);
  if (problem.status >= 500) {
    body.requestId = request.id;
    // A readiness probe answering "not ready" is an answer the orchestrator polls for, not a fault to log.
    if (problem.code === ProblemCode.UNAVAILABLE) {
      if (!request.url.startsWith('/health/')) warnUnavailable(error, request.id, problem.detail);
    } else rootLogger.error({ err: error, reqId: request.id }, 'unhandled error');
  }
  if (problem.retryAfter !== undefined) void reply.header('retry-after', String(problem.retryAfter));
  // RFC 9110 §11.6.1, RFC 6750 §3: a 401 names the scheme, and says when a bearer token was sent but refused
  // (none, or another scheme such as Basic: no error code, §3.1; the scheme's name is case-insensitive).
  if (problem.status === 401) void reply.header('www-authenticate', /^bearer /i.test(request.headers.authorization ?? '') ? 'Bearer error="invalid_token"' : 'Bearer');
  void reply.status(problem.status).header('content-type', 'application/problem+json; charset=utf-8').send(body);
}

@Catch()
export class ProblemFilter implements ExceptionFilter {
  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendProblem(error, http.getRequest<FastifyRequest>(), http.getResponse<FastifyReply>());
  }
}
