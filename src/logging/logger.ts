import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { requestContext } from '../http/request-context';

// Structured JSON logs (pino); every line written during a request carries its requestId.
export const rootLogger: Logger = pino({
  level: process.env.LOG_LEVEL ?? 'info',
  base: undefined,
  mixin: () => {
    const ctx = requestContext.getStore();
    return ctx ? { reqId: ctx.requestId } : {};
  },
});

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
