import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';

// Structured JSON logs (pino). The lines written for a request (its completion, an unexpected error)
// carry its reqId explicitly: carrying it implicitly with AsyncLocalStorage hooks every promise of the
// process on Node 20, a tenth of the CPU of a dashboard poll.
export const rootLogger: Logger = pino({ level: process.env.LOG_LEVEL ?? 'info', base: undefined });

export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger = rootLogger) {}
  private write(level: 'info' | 'error' | 'warn' | 'debug' | 'trace', message: unknown, rest: unknown[]): void {
    const context = typeof rest[rest.length - 1] === 'string' ? (rest[rest.length - 1] as string) : undefined;
    if (message instanceof Error) this.logger[level]({ context, err: message }, message.message);
    else if (typeof message === 'object') this.logger[level]({ context, ...(message as object) });
    else this.logger[level]({ context }, String(message));
  }
  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
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
