import type { FastifyInstance, RouteOptions } from 'fastify';

/**
 * Adds `hooks` to every route with a method `applies` to (it also sees the route: its handler carries
 * the handler's Nest metadata), after the route's own; route hooks run after
 * the global ones of the same kind. A hook that has nothing to do on most routes costs those routes
 * nothing this way (issue 25: the dashboards' 304 passed every global hook, each a call or a promise).
 * Call before the routes are registered (Nest registers them at init).
 */
export function onRoutesWhere(
  fastify: FastifyInstance,
  applies: (method: string, route: RouteOptions) => boolean,
  hooks: { preHandler?: unknown; preSerialization?: unknown; onSend?: unknown },
): void {
  fastify.addHook('onRoute', (route) => {
    if (![route.method].flat().some((method) => applies(method, route))) return;
    const options = route as unknown as Record<string, unknown>;
    for (const [name, hook] of Object.entries(hooks)) {
      const list: unknown[] = [options[name] ?? []].flat();
      list.push(hook);
      options[name] = list;
    }
  });
}
