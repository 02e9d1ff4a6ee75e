import type { FastifyInstance } from 'fastify';

// CORS for the browser front-ends (agent desktop, unit dashboards): only the origins CORS_ORIGINS names.
// The headers a client needs to read (ETag for If-Match, the request id, the replay marker, Location)
// are exposed; a preflight is answered 204 before routing, whatever the path.
const EXPOSED = 'ETag, X-Request-Id, Idempotent-Replayed, Location';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Idempotency-Key, If-Match, If-None-Match, X-Request-Id';
const METHODS = 'GET, POST, PUT, PATCH, DELETE';

export function registerCors(fastify: FastifyInstance, origins: readonly string[]): void {
  if (!origins.length) return;
  const allowed = new Set(origins);
  fastify.addHook('onRequest', async (request, reply) => {
    const origin = request.headers.origin;
    void reply.header('vary', 'Origin');
    if (!origin || !allowed.has(origin)) return;
    void reply.header('access-control-allow-origin', origin).header('access-control-expose-headers', EXPOSED);
    if (request.method === 'OPTIONS' && request.headers['access-control-request-method']) {
      return reply
        .header('access-control-allow-methods', METHODS)
        .header('access-control-allow-headers', ALLOWED_HEADERS)
        .header('access-control-max-age', '600')
        .status(204)
        .send();
    }
  });
}
