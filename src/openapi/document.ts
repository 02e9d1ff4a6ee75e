import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import { PROBLEM_TYPE_BASE, ProblemCode, problemStatus, problemTitle } from '../common/problem';
import { PATH_DOCS } from '../http/openapi/query-docs';
import { ANSWER_MODELS } from './answer-models';
import { addValidatorConstraints } from '../http/openapi/validator-constraints';

// /docs-json: what @nestjs/swagger reads from the controllers and DTOs, completed here with what every
// operation shares (errors, X-Request-Id, Idempotency-Key, roles, path parameters) so that a new route is
// described the same way without repeating it. test/contract.e2e.spec.ts lints it and validates every answer.

const TAGS: Record<string, string> = {
  tickets: 'Gangguan and Keluhan tickets: intake, the unit dashboards, status moves, repeated reports and confirmation.',
  escalations: 'The back-office queue (R-E1…R-E4).',
  'itsm-references': 'References to tickets of the ITSM application for app problems (R-A1…R-A5).',
  listriqu: 'IML orders handed to ListriQu and its coverage (R-I1…R-I6).',
  units: 'PLN units and their time zones.',
  policies: 'SLA, confirmation and auto-transfer settings per classification (R-S1).',
  outages: 'Outages a unit groups its tickets under (R-O1…R-O4).',
  reports: 'Unit reports and indicators (R-M2…R-M4).',
  customers: 'A customer’s history (R-L1, R-L3).',
  'ticket-changes': 'The change feed of tickets (R-F1…R-F3).',
  operations: 'Health checks for the orchestrator; no token.',
  console: 'What the operator console needs before anyone signs in (R-U5); no token.',
  webhooks: 'Signed webhook endpoints, their messages and attempts (R-W1…R-W6).',
  notifications: 'Over-SLA mails to units, sent or kept (R-W7).',
  'personal-data': 'A customer’s personal data: export, erasure, who saw it (R-P1…R-P3, docs/privacy.md).',
};

const ROLE_TEXT = (roles: string[] | undefined, isPublic: boolean) =>
  isPublic ? 'No token.' : roles?.length ? `Roles: ${roles.join(', ')}.` : 'Any role.';

const header = (description: string) => ({ description, schema: { type: 'string' } });
const problemAnswer = (code: ProblemCode, description: string, instance: string) => ({
  description,
  ...(code === ProblemCode.UNAUTHORIZED ? { headers: { 'WWW-Authenticate': header('Bearer, with error="invalid_token" when a token was sent but is not valid') } } : {}),
  ...(code === ProblemCode.UNAVAILABLE && instance.startsWith('/api/') ? { headers: { 'Retry-After': header('Seconds to wait before retrying') } } : {}),
  content: {
    'application/problem+json': {
      schema: { $ref: '#/components/schemas/Problem' },
      example: { type: PROBLEM_TYPE_BASE + code, title: problemTitle(code), status: problemStatus(code), detail: description, instance },
    },
  },
});

type Operation = Record<string, any>;

/** The problem answers an operation can give, by what it takes. */
function problemAnswers(path: string, method: string, op: Operation) {
  const answers: Record<string, ReturnType<typeof problemAnswer>> = {};
  const add = (code: ProblemCode, description: string) => (answers[String(problemStatus(code))] ??= problemAnswer(code, description, path));
  if (path.startsWith('/api/')) {
    add(ProblemCode.VALIDATION, 'A field, path or query parameter is invalid, or a query parameter unknown (`errors` names each)');
    add(ProblemCode.UNAUTHORIZED, 'No token, or one that is malformed, expired or badly signed');
    // every token-bearing operation: a valid token holding none of the service's roles is 403 (R-U3)
    add(ProblemCode.FORBIDDEN, op['x-roles'] ? 'The role may not call this operation, or the token holds none of the service’s roles' : 'The token holds none of the service’s roles (R-U3)');
    if (path.includes('{')) {
      add(ProblemCode.NOT_FOUND, 'No such resource (a unit caller sees only its own unit’s tickets)');
      add(ProblemCode.URI_TOO_LONG, 'A path segment is too long');
    }
  }
  if (op.requestBody) {
    add(ProblemCode.PAYLOAD_TOO_LARGE, 'The body is over 1 MiB');
    add(ProblemCode.UNSUPPORTED_MEDIA_TYPE, 'The body is not application/json');
  }
  if (method === 'post' && path.startsWith('/api/')) {
    add(ProblemCode.CONFLICT, 'Not allowed in the current state, or a request with the same Idempotency-Key is still in progress');
    add(ProblemCode.IDEMPOTENCY_MISMATCH, 'The Idempotency-Key was used with a different request');
  }
  if (path === '/health/ready') add(ProblemCode.UNAVAILABLE, 'The database does not answer');
  else if (path.startsWith('/api/')) add(ProblemCode.UNAVAILABLE, 'The database is down or the service overloaded; retry after Retry-After seconds (with the same Idempotency-Key)');
  add(ProblemCode.INTERNAL, 'An unexpected error; the body names the request id');
  return answers;
}

/** Every `…Dto` is a request body the validation pipe checks with forbidNonWhitelisted: unknown fields are 400. */
function closeRequestSchemas(schemas: Record<string, any>): void {
  for (const [name, schema] of Object.entries(schemas)) if (name.endsWith('Dto')) schema.additionalProperties = false;
}

function exampleOf(schemas: Record<string, { example?: unknown }>, media: { schema?: { $ref?: string } }): unknown {
  const name = media.schema?.$ref?.split('/').pop();
  return name ? schemas[name]?.example : undefined;
}

/** A path parameter's schema declared by its route (@ApiParam with a pattern, an enum or a format) wins over PATH_DOCS. */
const ownSchema = (p: { schema?: Record<string, unknown> }) => (p.schema?.pattern || p.schema?.enum || p.schema?.format ? p.schema : undefined);

export function completeDocument(document: OpenAPIObject): OpenAPIObject {
  const schemas = (document.components!.schemas ??= {}) as Record<string, any>;
  closeRequestSchemas(schemas);
  addValidatorConstraints(schemas);
  const used = new Set<string>();
  for (const [path, item] of Object.entries(document.paths)) {
    for (const [method, op] of Object.entries(item as Record<string, Operation>)) {
      const roles: string[] | undefined = op['x-roles'];
      const isPublic = !path.startsWith('/api/');
      op.description = [op.description, ROLE_TEXT(roles, isPublic)].filter(Boolean).join(' ');
      if (isPublic) op.security = [];
      for (const tag of op.tags ?? []) used.add(tag);
      op.parameters = (op.parameters ?? []).map((p: any) => (p.in === 'path' && PATH_DOCS[p.name] ? { ...p, description: p.description || PATH_DOCS[p.name].description, schema: ownSchema(p) ?? PATH_DOCS[p.name].schema } : p));
      op.parameters.push({ $ref: '#/components/parameters/XRequestId' });
      if (method === 'post' && !isPublic) op.parameters.push({ $ref: '#/components/parameters/IdempotencyKey' });
      for (const [status, answer] of Object.entries(op.responses as Record<string, any>)) {
        answer.headers = { 'X-Request-Id': { $ref: '#/components/headers/XRequestId' }, ...answer.headers };
        if (method === 'post' && !isPublic && status.startsWith('2')) answer.headers['Idempotent-Replayed'] = { $ref: '#/components/headers/IdempotentReplayed' };
        for (const media of Object.values((answer.content ?? {}) as Record<string, any>)) media.example ??= exampleOf(schemas, media);
      }
      for (const [status, answer] of Object.entries(problemAnswers(path, method, op))) {
        op.responses[status] ??= { ...answer, headers: { 'X-Request-Id': { $ref: '#/components/headers/XRequestId' }, ...answer.headers } };
      }
    }
  }
  document.tags = Object.entries(TAGS).filter(([name]) => used.has(name)).sort(([a], [b]) => a.localeCompare(b)).map(([name, description]) => ({ name, description }));
  Object.assign(document.components!, {
    parameters: {
      XRequestId: { name: 'X-Request-Id', in: 'header', required: false, description: 'Up to 128 visible characters; generated when absent; echoed on the answer and in the logs', schema: { type: 'string', maxLength: 128 } },
      IdempotencyKey: { name: 'Idempotency-Key', in: 'header', required: false, description: 'The same key with the same body within 24 hours returns the first answer again and changes nothing', schema: { type: 'string', maxLength: 255 } },
    },
    headers: {
      XRequestId: header('The request id (from the request, else generated)'),
      IdempotentReplayed: header('"true" when this is the stored answer of an earlier request with the same Idempotency-Key'),
    },
  });
  return document;
}

export function buildDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('APKT ticket-lifecycle service')
    .setDescription(
      'Gangguan and Keluhan tickets, repeated reports, the back-office escalation queue and the scheduled jobs of PLN contact centre 123. ' +
        'Errors are application/problem+json (RFC 9457); each `type` is explained in docs/problems.md.',
    )
    .setVersion('1.0')
    .addServer('/', 'The service that serves this document (relative: the same scheme, host and port)')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT', description:
        'An access token of the OpenID Connect issuer `OIDC_ISSUER` (RS256, PS256, ES256 or EdDSA by its published keys; `aud` holding `OIDC_AUDIENCE`; roles and unit from the claims `OIDC_ROLES_CLAIM` and `OIDC_UNIT_CLAIM`), or, where `AUTH_JWT_SECRET` is set, an HS256 JWT with `sub`, `role` (a string or an array) and (for role unit) `unit`',
    })
    .build();
  // The answer classes (issue 24) are the component schemas of the answers; the DTOs come in through the routes.
  return completeDocument(SwaggerModule.createDocument(app, config, { extraModels: ANSWER_MODELS }));
}
