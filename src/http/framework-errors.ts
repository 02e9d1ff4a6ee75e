import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Problem, ProblemCode } from '../common/problem';
import { sendProblem } from './problem.filter';

// Fastify answers some requests itself, before any route or hook: a URL it cannot decode, a path
// parameter over its length limit, headers over Node's limit, a client too slow to send its request.
// Those answers are problem+json too (API.md conventions), like every other error.

/** Fastify's `frameworkErrors` option: a bad URL (400) or an over-long path parameter (414). */
export function frameworkErrors(error: Error & { code?: string }, request: FastifyRequest<any>, reply: FastifyReply<any>): void {
  const problem =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH'
      ? new Problem(ProblemCode.URI_TOO_LONG, 'A path segment is too long')
      : new Problem(ProblemCode.BAD_REQUEST, error.code === 'FST_ERR_BAD_URL' ? 'The URL is not valid' : error.message);
  sendProblem(problem, request as FastifyRequest, reply as FastifyReply);
}

const CLIENT_ERRORS: Record<string, Problem> = {
  HPE_HEADER_OVERFLOW: new Problem(ProblemCode.HEADERS_TOO_LARGE, 'The request headers are too large'),
  ERR_HTTP_REQUEST_TIMEOUT: new Problem(ProblemCode.REQUEST_TIMEOUT, 'The request was not received in time'),
};

/** Fastify's `clientErrorHandler`: the request could not even be parsed as HTTP, so no reply object exists. */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const problem = CLIENT_ERRORS[error.code ?? ''] ?? new Problem(ProblemCode.BAD_REQUEST, 'The request is not valid HTTP');
  const body = JSON.stringify(problem.body('/'));
  if (socket.writable) {
    socket.write(
      `HTTP/1.1 ${problem.status} ${problem.body('/').title}\r\nContent-Type: application/problem+json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
