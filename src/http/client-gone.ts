import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { loggedUrl } from '../logging/logged-url';
import { rootLogger } from '../logging/logger';

// Issue 14 point 18: the statement of a request whose client went away is cancelled
// (src/database/cancellable.ts). Such a request is logged at info as "client went away" and counted
// in the metrics with status 499 (nginx's "client closed request"): never sent, never an error or a 5xx.
export const CLIENT_GONE_STATUS = 499;

/** Counts a departed request (Metrics.observe): HTTP's metrics see no response for it. */
export type GoneRecorder = (request: FastifyRequest, status: number, seconds: number) => void;

const recorders = new WeakMap<FastifyInstance, GoneRecorder>();

export function registerClientGone(fastify: FastifyInstance, record: GoneRecorder): void {
  recorders.set(fastify, record);
}

function departed(request: FastifyRequest, reply: FastifyReply): void {
  const durationMs = Math.round(reply.elapsedTime * 10) / 10;
  const route = request.routeOptions.url;
  rootLogger.info({ reqId: request.id, method: request.method, url: loggedUrl(request.url), route, statusCode: CLIENT_GONE_STATUS, durationMs }, 'client went away');
  recorders.get(request.server)?.(request, CLIENT_GONE_STATUS, durationMs / 1000);
}

/**
 * The HTTP client of a request, for the read paths that can stop their statement. Its signal aborts when
 * the connection closes before the answer has been ended. Nothing is created until `signal` is first
 * read, so a path that ends without a statement (the list's 304) pays for none of it; and nothing is
 * carried implicitly (AsyncLocalStorage costs every promise of the process, see src/logging/logger.ts).
 */
export class ClientGone {
  private controller?: AbortController;

  constructor(private readonly reply: FastifyReply) {}

  get signal(): AbortSignal {
    if (this.controller) return this.controller.signal;
    const controller = new AbortController();
    this.controller = controller;
    const { request, raw: response } = this.reply;
    const gone = () => {
      if (response.writableEnded || controller.signal.aborted) return; // answered: nobody left early
      controller.abort();
      departed(request, this.reply);
    };
    // A response emits 'close' once it is done, or when its connection closes before that.
    if (response.destroyed || request.raw.socket?.destroyed) gone();
    else response.once('close', gone);
    return controller.signal;
  }
}

/**
 * `@ClientGoneSignal() client: ClientGone` — pass `client.signal` to cancellable() (src/database/cancellable.ts).
 * A handler that already has its reply makes `new ClientGone(reply)` instead (no parameter to resolve).
 */
export const ClientGoneSignal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): ClientGone => new ClientGone(context.switchToHttp().getResponse<FastifyReply>()),
);
