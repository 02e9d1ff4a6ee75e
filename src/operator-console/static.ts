import { existsSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyReply } from 'fastify';
import { rootLogger } from '../logging/logger';

/**
 * Where `npm run build` puts the operator console (vite build console → dist/console). Resolved from
 * this file's folder, two levels below the root both as source (src/…) and as build (dist/…).
 */
export const CONSOLE_DIR = join(__dirname, '..', '..', 'dist', 'console');

/**
 * Serves the operator console at /console without a token: it is static files, and every API call
 * it makes carries the user's own token. Its own routes (/console/agen …) are deep links into the
 * single-page app, so any path under /console that is not a file answers index.html.
 */
export async function registerConsole(app: NestFastifyApplication, root = CONSOLE_DIR): Promise<void> {
  if (!existsSync(join(root, 'index.html'))) {
    rootLogger.warn({ root }, 'the console is not built (npm run build builds it): /console is not served');
    return;
  }
  const fastify = app.getHttpAdapter().getInstance();
  // wildcard: false registers one route per built file, so the catch-all below answers the rest
  await fastify.register(fastifyStatic, { root, prefix: '/console/', wildcard: false, decorateReply: true, index: false, preCompressed: true });
  const index = (_request: unknown, reply: FastifyReply) => reply.header('cache-control', 'no-cache').sendFile('index.html');
  fastify.get('/console', index);
  fastify.get('/console/*', index);
}
