import type { FieldError } from './domain.exception';
import { ProblemCode } from './problem-code';
import type { ProblemBody } from './problem.view';

// One error type per failure; each ProblemCode (problem-code.ts) maps to exactly one HTTP status and
// title here. The HTTP layer (guards, pipes, hooks) throws these; the modules throw their own
// DomainException, whose code names its ProblemCode, and src/http/domain-problems.ts turns it into one of
// these. src/http/problem.filter.ts writes them.

export { ProblemCode };

const STATUS: Record<ProblemCode, [number, string]> = {
  [ProblemCode.VALIDATION]: [400, 'Validation failed'],
  [ProblemCode.MALFORMED_BODY]: [400, 'Malformed request body'],
  [ProblemCode.BAD_REQUEST]: [400, 'Bad request'],
  [ProblemCode.UNAUTHORIZED]: [401, 'Unauthorized'],
  [ProblemCode.FORBIDDEN]: [403, 'Forbidden'],
  [ProblemCode.NOT_FOUND]: [404, 'Not found'],
  [ProblemCode.INVALID_TRANSITION]: [409, 'Not allowed in the current state'],
  [ProblemCode.CONFLICT]: [409, 'Conflict'],
  [ProblemCode.NOT_REPEATABLE]: [409, 'This ticket cannot be re-reported'],
  [ProblemCode.NUMBER_EXHAUSTED]: [409, 'Ticket numbers exhausted'],
  [ProblemCode.PRECONDITION_FAILED]: [412, 'Precondition failed'],
  [ProblemCode.REQUEST_TIMEOUT]: [408, 'Request timeout'],
  [ProblemCode.PAYLOAD_TOO_LARGE]: [413, 'Payload too large'],
  [ProblemCode.URI_TOO_LONG]: [414, 'URI too long'],
  [ProblemCode.HEADERS_TOO_LARGE]: [431, 'Request header fields too large'],
  [ProblemCode.UNSUPPORTED_MEDIA_TYPE]: [415, 'Unsupported media type'],
  [ProblemCode.IDEMPOTENCY_MISMATCH]: [422, 'Idempotency-Key reused with a different request'],
  [ProblemCode.IDEMPOTENCY_IN_PROGRESS]: [409, 'A request with this Idempotency-Key is still in progress'],
  [ProblemCode.METHOD_NOT_ALLOWED]: [405, 'Method not allowed'],
  [ProblemCode.INTERNAL]: [500, 'Internal server error'],
  [ProblemCode.UNAVAILABLE]: [503, 'Service unavailable'],
  [ProblemCode.TOO_MANY_REQUESTS]: [429, 'Too many requests'],
};

export type { FieldError };

export type { ProblemBody };

export const PROBLEM_TYPE_BASE = 'https://apkt.pln.co.id/problems/';

export class Problem extends Error {
  readonly status: number;
  /** Seconds for the Retry-After header (a 503: the client retries later with the same Idempotency-Key). */
  retryAfter?: number;
  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
    this.status = STATUS[code][0];
  }

  body(url: string): ProblemBody {
    const body: ProblemBody = { type: PROBLEM_TYPE_BASE + this.code, title: STATUS[this.code][1], status: this.status, detail: this.detail, instance: url.split('?')[0] };
    if (this.errors) body.errors = this.errors;
    return body;
  }
}

export const problemStatus = (code: ProblemCode): number => STATUS[code][0];
export const problemTitle = (code: ProblemCode): string => STATUS[code][1];

export const invalidField = (field: string, message: string) =>
  new Problem(ProblemCode.VALIDATION, `${field}: ${message}`, [{ field, message }]);
export const unavailable = (detail: string, retryAfter: number) => Object.assign(new Problem(ProblemCode.UNAVAILABLE, detail), { retryAfter });

export function problemForStatus(status: number, detail: string): Problem {
  if (status === 400) return new Problem(ProblemCode.MALFORMED_BODY, detail);
  const code = (Object.keys(STATUS) as ProblemCode[]).find((c) => STATUS[c][0] === status);
  return new Problem(code ?? (status >= 500 ? ProblemCode.INTERNAL : ProblemCode.MALFORMED_BODY), detail);
}
