import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ticketEtag } from '../preconditions';
import { onRoutesWhere } from '../route-hooks';

// Decorators that declare an operation's answers in /docs-json from the same place that shapes them.
// They name component schemas; the answer classes (src/common/answer-shape.ts, issue 24) beside the
// modules' views are the schemas themselves, gathered for the document in src/openapi/answer-models.ts.

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const ETAG_HEADER = { description: 'The ticket version as a strong entity tag, e.g. "3"; send it back in If-Match', schema: { type: 'string' as const } };

const TICKET_ETAG = 'apkt:ticket-etag';

/**
 * Sets `ETag: "<version>"` on an answer whose body is a Ticket (RFC 9110 §8.8.3): a callback hook on the
 * routes that answer a Ticket only (`Answer(…, 'Ticket', …)` marks them), added as Nest registers them
 * (issue 30: as a Nest interceptor it cost each of those requests an AsyncResource.bind and an rxjs pipe).
 * Call before the routes are registered.
 */
export function registerTicketEtag(fastify: FastifyInstance): void {
  const preSerialization = (_request: FastifyRequest, reply: FastifyReply, payload: unknown, done: (error: null, payload: unknown) => void) => {
    const version = (payload as { version?: unknown } | null)?.version;
    if (typeof version === 'number') void reply.header('etag', ticketEtag(version));
    done(null, payload);
  };
  onRoutesWhere(fastify, (_method, route) => Reflect.getMetadata(TICKET_ETAG, route.handler) === true, { preSerialization });
}

/**
 * A success answer with a body of the named component schema (an answer class's @AnswerShape name). A Ticket
 * answer also carries the ticket's ETag, set here so that the header and its documentation go together.
 */
export function Answer(status: number, schema: string, description: string, etag?: string) {
  const isTicket = schema === 'Ticket';
  const etagHeader = isTicket ? ETAG_HEADER : etag ? { description: etag, schema: { type: 'string' as const } } : undefined;
  return applyDecorators(
    ApiResponse({ status, description, content: { 'application/json': { schema: ref(schema) } }, ...(etagHeader ? { headers: { ETag: etagHeader } } : {}) }),
    ...(isTicket ? [SetMetadata(TICKET_ETAG, true)] : []),
  );
}

/** An answer with no body (204 claim-next, 304 not modified). */
export const EmptyAnswer = (status: 204 | 304, description: string) =>
  ApiResponse({ status, description, ...(status === 304 ? { headers: { ETag: { description: 'The current entity tag', schema: { type: 'string' } } } } : {}) });

/** The operation honours If-Match (412 when it names no current tag). */
export const AcceptsIfMatch = () =>
  applyDecorators(
    ApiHeader({ name: 'If-Match', required: false, description: 'Entity tags of the ticket (`"3"`, `"3", "4"`, `*`), or its bare version `3`; a weak tag never matches. Malformed → 400', schema: { type: 'string' } }),
    ApiResponse({ status: 412, description: 'If-Match names no current entity tag', content: { 'application/problem+json': { schema: ref('Problem') } } }),
  );

/** The operation answers 304 when If-None-Match matches its ETag (weak comparison). */
export const AcceptsIfNoneMatch = () =>
  ApiHeader({ name: 'If-None-Match', required: false, description: 'An ETag of an earlier answer; compared weakly. Matches → 304 with no body', schema: { type: 'string' } });

/** A problem answer particular to one operation (the shared ones are added by document.ts). */
export const ProblemAnswer = (status: number, description: string) =>
  ApiResponse({ status, description, content: { 'application/problem+json': { schema: ref('Problem') } } });

/** A 200 with a JSON body of the named schema, or the same rows as CSV when the request accepts text/csv. */
export const AnswerOrCsv = (schema: string, description: string, csvExample: string) =>
  ApiResponse({
    status: 200,
    description,
    content: { 'application/json': { schema: ref(schema) }, 'text/csv': { schema: { type: 'string' }, example: csvExample } },
  });

/** A stream of server-sent events (text/event-stream), described by an example. */
export const EventStreamAnswer = (description: string, example: string) =>
  ApiResponse({ status: 200, description, content: { 'text/event-stream': { schema: { type: 'string' }, example } } });
