import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { Problem, ProblemCode, type FieldError } from '../common/problem';

// Input that would reach PostgreSQL or a recursive walk as something it cannot take, refused up front as
// 400 naming the field (API.md conventions), once for every route instead of per DTO:
// - C0 control characters other than tab, LF, CR (PostgreSQL refuses NUL in text: a 500 otherwise);
// - a lone UTF-16 surrogate (a `\ud800` escape in JSON: not encodable as UTF-8, PostgreSQL refuses it);
// - JSON nested deeper than MAX_DEPTH (validation and the Idempotency-Key fingerprint walk the body
//   recursively: 2,000 levels overflowed the stack).
// - `__proto__` keys, and `constructor` keys holding a `prototype`, at any depth (prototype poisoning):
//   refused by secure-json-parse (the parser Fastify itself uses), like any unknown field.
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

const POISON_MESSAGE = 'should not exist (a prototype-poisoning key)';

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
    // class-transformer drops a `constructor` key silently (an unknown field answered 201): no field of
    // the contract has that name, so it is refused like any unknown field, whatever it holds
    if (key === 'constructor') return { field: join(path, key), message: POISON_MESSAGE };
    const keyMessage = stringError(key);
    if (keyMessage) return { field: join(path, key), message: `the field name ${keyMessage}` };
    const error = hostileField(item, join(path, key), depth + 1);
    if (error) return error;
  }
  return undefined;
}

const refusal = (error: FieldError) => new Problem(ProblemCode.VALIDATION, `${error.field}: ${error.message}`, [error]);

const POISON_REFUSED = { protoAction: 'error', constructorAction: 'error' } as const;

const poisoned = (node: object) =>
  Object.hasOwn(node, '__proto__') ? '__proto__' : Object.hasOwn(node, 'constructor') && isPrototypeHolder((node as { constructor: unknown }).constructor) ? 'constructor' : undefined;
const isPrototypeHolder = (value: unknown) => value !== null && typeof value === 'object' && Object.hasOwn(value, 'prototype');

/**
 * Where secure-json-parse found a poisoning key: it refuses without saying where, and API.md asks the
 * 400 to name the field. Runs only on a body already refused, over JSON.parse's own-property result.
 */
function poisonedField(value: unknown, path = '', depth = 0): FieldError | undefined {
  if (value === null || typeof value !== 'object' || depth > MAX_DEPTH) return undefined;
  const key = Array.isArray(value) ? undefined : poisoned(value);
  if (key) return { field: join(path, key), message: POISON_MESSAGE };
  for (const [k, item] of Array.isArray(value) ? value.entries() : Object.entries(value)) {
    const error = poisonedField(item, join(path, k), depth + 1);
    if (error) return error;
  }
  return undefined;
}

/** A JSON body, parsed and checked; throws the 400 problem for malformed or hostile JSON. */
export function parseJsonBody(text: string): unknown {
  let value: unknown;
  try {
    value = secureJson.parse(text, undefined, POISON_REFUSED); // JSON.parse inside: iterative, deep nesting is safe here
  } catch {
    let plain: unknown;
    try {
      plain = JSON.parse(text);
    } catch {
      throw new Problem(ProblemCode.MALFORMED_BODY, 'The body is not valid JSON');
    }
    throw refusal(hostileField(plain) ?? poisonedField(plain) ?? { field: 'body', message: POISON_MESSAGE });
  }
  const error = hostileField(value);
  if (error) throw refusal(error);
  // every body of the contract is an object: `null` or `3` would otherwise reach the pipe as "no body"
  if (value === null || typeof value !== 'object' || Array.isArray(value)) throw refusal({ field: 'body', message: 'must be a JSON object' });
  return value;
}

/** Refuses forbidden characters in the query string and the path parameters of every route. */
export function registerInputChecks(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    const error = hostileField(request.params ?? {}) ?? hostileField(request.query ?? {});
    done(error ? refusal(error) : undefined);
  });
}
