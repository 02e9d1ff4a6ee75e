import { NestFactory } from '@nestjs/core';
import { ReadRouter } from './database/read-router';
import { registerReadYourWrites } from './http/read-your-writes';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { SwaggerModule } from '@nestjs/swagger';
import { AppModule } from './app.module';
import openApiMetadata from './generated/openapi-metadata';
import { Clock } from './clock/clock';
import { verifierFor } from './auth/jwt';
import { AppConfig, defaultMaxConcurrentReads } from './config/config';
import { PrismaService } from './database/prisma.service';
import { registerClientGone } from './http/client-gone';
import { registerCors } from './http/cors';
import { registerLoadShedding } from './http/load-shedding';
import { registerRequestPressure, RequestPressure } from './http/request-pressure';
import { registerIdempotency } from './http/idempotency';
import { registerMethodNotAllowed } from './http/method-not-allowed';
import { requestIdFrom } from './http/request-context';
import { clientErrorHandler, frameworkErrors } from './http/framework-errors';
import { parseJsonBody, registerInputChecks } from './http/hostile-input';
import { Problem, ProblemCode } from './common/problem';
import { buildDocument } from './openapi/document';
import { validationPipe } from './http/validation';
import { loggedUrl } from './logging/logged-url';
import { PinoNestLogger, rootLogger } from './logging/logger';
import { Metrics } from './metrics/metrics';
import { registerConsole } from './operator-console/static';
import { registerListNotModified } from './tickets/list-not-modified';
import { AccessLog } from './personal-data-access/access-log';
import { registerAccessLog } from './personal-data-access/access-log.hook';
import { registerTicketEtag } from './http/openapi/answers';
import { OutageSummaries } from './outages/outage-summaries';
import { TicketsService } from './tickets/tickets.service';
import { tracing } from './tracing/state';
import { Readiness } from './health/readiness';

export const BODY_LIMIT = 1024 * 1024;

export interface AppOverrides {
  clock?: Clock;
}

// Builds the whole HTTP application; main.ts and the end-to-end tests share it.
export async function createApp(config: AppConfig, overrides: AppOverrides = {}): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: BODY_LIMIT,
    logger: false,
    genReqId: (req: { headers: Record<string, string | string[] | undefined> }) => requestIdFrom(req.headers['x-request-id']),
    return503OnClosing: true,
    // Fastify's default ('idle' without a serverFactory) ends in closeAllConnections() on close, cutting
    // requests in flight; Node's own server.close() already closes the idle keep-alive ones (issue 32).
    forceCloseConnections: false,
    frameworkErrors,
    clientErrorHandler,
  });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, overrides.clock), adapter, {
    logger: new PinoNestLogger(),
    bufferLogs: false,
    abortOnError: false,
    bodyParser: false, // Nest's own parsers (JSON without our checks, and urlencoded forms) would replace ours at init
  });
  const fastify = app.getHttpAdapter().getInstance();

  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  if (tracing.enabled) {
    fastify.addHook('onRequest', (request, _reply, done) => {
      tracing.tagRequest(request.id, request.method, request.routeOptions.url); // its trace carries its X-Request-Id (src/tracing)
      done();
    });
  }
  registerRequestPressure(fastify, app.get(RequestPressure)); // the outbox gives way to requests pressed for the thread
  registerCors(fastify, config.corsOrigins ?? []);
  registerMethodNotAllowed(fastify);
  fastify.addHook('onResponse', (request, reply, done) => {
    if (rootLogger.isLevelEnabled('info')) {
      rootLogger.info(
        { reqId: request.id, method: request.method, url: loggedUrl(request.url), statusCode: reply.statusCode, durationMs: Math.round(reply.elapsedTime * 10) / 10 },
        'request completed',
      );
    }
    done();
  });
  // A body that is not JSON is 415, whatever parser Fastify would otherwise pick for it.
  fastify.removeAllContentTypeParsers();
  // parameters allowed (`application/json; charset=utf-8`, as many clients send it); a charset other than UTF-8 is not JSON here
  fastify.addContentTypeParser(/^application\/([a-z0-9.+-]*\+)?json\s*(;.*)?$/i, { parseAs: 'string', bodyLimit: BODY_LIMIT }, (req, body, done) => {
    const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
    if (charset !== undefined && !/^utf-?8$/i.test(charset)) return done(new Problem(ProblemCode.UNSUPPORTED_MEDIA_TYPE, 'The body must be application/json in UTF-8'), undefined);
    if (body === '') return done(null, undefined);
    try {
      done(null, parseJsonBody(body as string));
    } catch (error) {
      done(error as Problem, undefined);
    }
  });
  fastify.addContentTypeParser('*', (_req, _payload, done) =>
    done(new Problem(ProblemCode.UNSUPPORTED_MEDIA_TYPE, 'The body must be application/json'), undefined),
  );

  registerInputChecks(fastify);
  const metrics = app.get(Metrics);
  metrics.observeHttp(fastify);
  registerClientGone(fastify, (request, status, seconds) => metrics.observe(request, status, seconds));
  // the list's 304 first: a GET has nothing to do with the idempotency hooks (issue 30)
  registerListNotModified(fastify, app.get(TicketsService), verifierFor(config));
  registerLoadShedding(fastify, config.maxConcurrentReads ?? defaultMaxConcurrentReads(config.dbPoolSize), config.dbPoolWaitMs); // after the 304s from memory
  registerIdempotency(fastify, app.get(PrismaService).pool, app.get(Clock), verifierFor(config));
  registerAccessLog(fastify, app.get(AccessLog)); // R-P1
  registerReadYourWrites(fastify, app.get(ReadRouter)); // R-D1
  app.get(OutageSummaries).register(fastify); // R-O2
  registerTicketEtag(fastify);
  app.useGlobalPipes(validationPipe);
  // No app.enableShutdownHooks(): main.ts owns SIGTERM/SIGINT and calls shutdown() below. Nest's hooks
  // would run app.close() on the same signal, closing the pool under the requests still draining.

  await SwaggerModule.loadPluginMetadata(openApiMetadata); // bodies described from the DTOs (scripts/openapi-metadata.js)
  const document = buildDocument(app);
  SwaggerModule.setup('docs', app, document, { jsonDocumentUrl: 'docs-json' });
  await registerConsole(app);
  return app;
}

/**
 * Graceful stop: the HTTP server stops accepting and lets in-flight requests finish first, then the
 * jobs stop and the pool closes (Nest's own close() would disconnect the database before the server
 * has drained, failing the requests still in flight).
 */
export async function shutdown(app: NestFastifyApplication): Promise<void> {
  const fastify = app.getHttpAdapter().getInstance();
  app.get(Readiness).stopping(); // HEALTH_PORT answers 503 too, as PORT does while it closes
  // server.close() closes the keep-alive connections idle at that moment only; one whose request was
  // still in flight turns idle when answered and would hold the close for the keep-alive timeout (72 s)
  const reaper = setInterval(() => fastify.server.closeIdleConnections(), 100);
  try {
    await fastify.close();
  } finally {
    clearInterval(reaper);
  }
  await app.close();
}
