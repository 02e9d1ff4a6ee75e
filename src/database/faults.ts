// Database failures a client should retry rather than report (issue 14 points 18, 19): PostgreSQL down
// or restarting, or the service shedding load. They are answered 503 with Retry-After
// (src/http/problem.filter.ts), the client's cue to send the request again with the same Idempotency-Key.
export type DatabaseFault = 'down' | 'overloaded';

export const RETRY_AFTER_DOWN_S = 5;
export const RETRY_AFTER_OVERLOADED_S = 2;

// SQLSTATEs: 57P01-03 shutdown/crash/starting up, 08xxx connection exceptions, 53300 too many
// connections; socket errors of the driver; Prisma's "cannot reach the database" and "closed" codes.
const DOWN_CODES = new Set(['57P01', '57P02', '57P03', '08000', '08001', '08003', '08004', '08006', '53300', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'P1001', 'P1002', 'P1017']);
// `Query read timeout`: the driver's own query_timeout (set on replica pools only, src/database/read-router.ts): no answer at all
// `is not currently accepting connections`: 55000, the database closed to new connections (ALLOW_CONNECTIONS false, during maintenance)
const DOWN_MESSAGES = /is not currently accepting connections|Query read timeout|Connection terminated|connection error and is not queryable|Client was closed and is not queryable|terminating connection|the database system is (starting up|shutting down|in recovery)|Server has closed the connection|Can't reach database server|ECONNREFUSED/i;
// 57014: statement_timeout (DB_STATEMENT_TIMEOUT_MS); P2024: Prisma's own pool timeout; the pg pool's
// wait limit (DB_POOL_WAIT_MS) and Prisma's transaction start timeout have only a message.
const OVERLOAD_CODES = new Set(['57014', 'P2024']);
const OVERLOAD_MESSAGES = /timeout exceeded when trying to connect|canceling statement due to statement timeout|Unable to start a transaction in the given time|Timed out fetching a new connection/i;

/** The error and everything it wraps (`cause`, Prisma's driver-adapter error), shallow and bounded. */
function* chain(error: unknown): Generator<Record<string, unknown>> {
  let current: unknown = error;
  for (let i = 0; i < 6 && current && typeof current === 'object'; i++) {
    const item = current as Record<string, unknown>;
    yield item;
    const meta = item.meta as Record<string, unknown> | undefined;
    const adapter = meta?.driverAdapterError as Record<string, unknown> | undefined;
    if (adapter) yield* chain(adapter);
    current = item.cause;
  }
}

export function databaseFault(error: unknown): DatabaseFault | undefined {
  let fault: DatabaseFault | undefined;
  for (const item of chain(error)) {
    const code = String(item.code ?? item.originalCode ?? '');
    const message = typeof item.message === 'string' ? item.message : '';
    if (OVERLOAD_CODES.has(code) || OVERLOAD_MESSAGES.test(message)) fault ??= 'overloaded';
    if (DOWN_CODES.has(code) || DOWN_MESSAGES.test(message) || item.kind === 'DatabaseNotReachable' || item.kind === 'ConnectionClosed') return 'down';
  }
  return fault;
}

/** The pool's own wait for a connection ran out (DB_POOL_WAIT_MS): on a replica's pool, its connections are stuck. */
export function isPoolWaitTimeout(error: unknown): boolean {
  for (const item of chain(error)) if (typeof item.message === 'string' && /timeout exceeded when trying to connect/i.test(item.message)) return true;
  return false;
}
