// The problems API.md answers with, by their problem `type` (https://apkt.pln.co.id/problems/<code>).
// A module's *.exception.ts names one of these for each of its codes; src/common/problem.ts gives each
// its HTTP status and title. Kept apart from problem.ts so that a module can name an answer without
// being able to build one.
export enum ProblemCode {
  VALIDATION = 'validation-failed',
  MALFORMED_BODY = 'malformed-body',
  BAD_REQUEST = 'bad-request',
  UNAUTHORIZED = 'unauthorized',
  FORBIDDEN = 'forbidden',
  NOT_FOUND = 'not-found',
  INVALID_TRANSITION = 'invalid-transition',
  CONFLICT = 'conflict',
  NOT_REPEATABLE = 'not-repeatable',
  NUMBER_EXHAUSTED = 'ticket-number-exhausted',
  PRECONDITION_FAILED = 'precondition-failed',
  REQUEST_TIMEOUT = 'request-timeout',
  PAYLOAD_TOO_LARGE = 'payload-too-large',
  URI_TOO_LONG = 'uri-too-long',
  HEADERS_TOO_LARGE = 'request-header-fields-too-large',
  UNSUPPORTED_MEDIA_TYPE = 'unsupported-media-type',
  IDEMPOTENCY_MISMATCH = 'idempotency-key-reused',
  IDEMPOTENCY_IN_PROGRESS = 'idempotency-key-in-progress',
  METHOD_NOT_ALLOWED = 'method-not-allowed',
  INTERNAL = 'internal-error',
  UNAVAILABLE = 'service-unavailable',
  TOO_MANY_REQUESTS = 'too-many-requests', // R-P5
}
