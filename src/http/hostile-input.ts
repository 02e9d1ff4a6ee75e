import type { FastifyInstance } from 'fastify';
import { Problem, ProblemCode, type FieldError } from './problem';

// Input that would reach PostgreSQL or a recursive walk as something it cannot take, refused up front as
// 400 naming the field (API.md conventions), once for every route instead of per DTO:
// - C0 control characters other than tab, LF, CR (PostgreSQL refuses NUL in text: a 500 otherwise);
// - a lone UTF-16 surrogate (a `\ud800` escape in JSON: not encodable as UTF-8, PostgreSQL refuses it);
// - JSON nested deeper than MAX_DEPTH (validation and the Idempotency-Key fingerprint walk the body
//   recursively: 2,000 levels overflowed the stack).
// Bodies are checked where they are parsed; the query string and path parameters in a hook before the
// handler (`%00` in a ticket number decodes to NUL).
export const MAX_DEPTH = 32;

// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function stringError(value: string): string | undefined {
  if (FORBIDDEN_CONTROL.test(value)) return 'must not contain NUL or other control characters (tab, line feed and carriage return are allowed)';
  if (LONE_SURROGATE.test(value)) return 'must not contain a lone UTF-16 surrogate';
  return undefined;
}

const join = (parent: string, key: string | number) => (typeof key === 'number' ? `${parent}[${key}]` : parent ? `${parent}.${key}` : key);

/** The first field of `value` that is too deep or holds a forbidden string (keys included), if any. */
export function hostileField(value: unknown, path = '', depth = 0): FieldError | undefined {
  if (typeof value === 'string') {
    const message = stringError(value);
    return message ? { field: path || 'body', message } : undefined;
  }
  if (value === null || typeof value !== 'object') return undefined;
  if (depth >= MAX_DEPTH) return { field: path || 'body', message: `nested deeper than ${MAX_DEPTH} levels` };
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const error = hostileField(value[i], join(path, i), depth + 1);
      if (error) return error;
    }
    return undefined;
  }
  for (const [key, item] of Object.entries(value)) {
    const keyMessage = stringError(key);
    if (keyMessage) return { field: join(path, key), message: `the field name ${keyMessage}` };
    const error = hostileField(item, join(path, key), depth + 1);
    if (error) return error;
  }
  return undefined;
}

const refusal = (error: FieldError) => new Problem(ProblemCode.VALIDATION, `${error.field}: ${error.message}`, [error]);

/** A JSON body, parsed and checked; throws the 400 problem for malformed or hostile JSON. */
export function parseJsonBody(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text); // V8's parser is iterative: deep nesting is safe here, and caught below
  } catch {
    throw new Problem(ProblemCode.MALFORMED_BODY, 'The body is not valid JSON');
  }
  const error = hostileField(value);
  if (error) throw refusal(error);
  return value;
}

/** Refuses forbidden characters in the query string and the path parameters of every route. */
export function registerInputChecks(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', async (request) => {
    const error = hostileField(request.params ?? {}) ?? hostileField(request.query ?? {});
    if (error) throw refusal(error);
  });
}
