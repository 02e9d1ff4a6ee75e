import type { FastifyInstance } from 'fastify';
import { Problem, ProblemCode } from '../common/problem';
import { sendProblem } from './problem.filter';

// RFC 9110 §15.5.6: a known path asked with a method it does not take is 405 with Allow, not 404.
export function registerMethodNotAllowed(fastify: FastifyInstance): void {
  const routes: { pattern: RegExp; methods: string[] }[] = [];
  fastify.addHook('onRoute', (route) => {
    const pattern = new RegExp(`^${route.url.replace(/:[^/]+/g, '[^/]+')}/?$`);
    routes.push({ pattern, methods: [route.method].flat() });
  });
  // a callback hook, not an async one: every request passes here (issue 30, the list's 304)
  fastify.addHook('onRequest', (request, reply, done) => {
    if (!request.is404) return done();
    const path = request.url.split('?')[0];
    const allow = [...new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods))];
    if (!allow.length || allow.includes(request.method)) return done();
    void reply.header('allow', allow.join(', '));
    sendProblem(new Problem(ProblemCode.METHOD_NOT_ALLOWED, `${request.method} is not allowed on ${path}; allowed: ${allow.join(', ')}`), request, reply);
  });
}
