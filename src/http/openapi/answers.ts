import { applyDecorators, CallHandler, ExecutionContext, Injectable, NestInterceptor, UseInterceptors } from '@nestjs/common';
import { ApiHeader, ApiResponse } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { map, type Observable } from 'rxjs';
import { ticketEtag } from '../preconditions';

// Decorators that declare an operation's answers in /docs-json from the same place that shapes them.
// They name component schemas; the answer classes (src/common/answer-shape.ts, issue 24) beside the
// modules' views are the schemas themselves, gathered for the document in src/openapi/answer-models.ts.

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

const ETAG_HEADER = { description: 'The ticket version as a strong entity tag, e.g. "3"; send it back in If-Match', schema: { type: 'string' as const } };

/** Sets `ETag: "<version>"` on an answer whose body is a Ticket (RFC 9110 §8.8.3). */
@Injectable()
export class TicketEtagInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const reply = context.switchToHttp().getResponse<FastifyReply>();
    return next.handle().pipe(
      map((body: unknown) => {
        const version = (body as { version?: unknown } | undefined)?.version;
        if (typeof version === 'number') void reply.header('etag', ticketEtag(version));
        return body;
      }),
    );
  }
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
    ...(isTicket ? [UseInterceptors(TicketEtagInterceptor)] : []),
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
