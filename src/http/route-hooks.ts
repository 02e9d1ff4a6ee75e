import type { FastifyInstance } from 'fastify';

/**
 * Adds `hooks` to every route with a method `applies` to, after the route's own; route hooks run after
 * the global ones of the same kind. A hook that has nothing to do on most routes costs those routes
 * nothing this way (issue 25: the dashboards' 304 passed every global hook, each a call or a promise).
 * Call before the routes are registered (Nest registers them at init).
 */
export function onRoutesWhere(fastify: FastifyInstance, applies: (method: string) => boolean, hooks: { preHandler?: unknown; onSend?: unknown }): void {
  fastify.addHook('onRoute', (route) => {
    if (![route.method].flat().some(applies)) return;
    const options = route as unknown as Record<string, unknown>;
    for (const [name, hook] of Object.entries(hooks)) {
      const list: unknown[] = [options[name] ?? []].flat();
      list.push(hook);
      options[name] = list;
    }
  });
}
