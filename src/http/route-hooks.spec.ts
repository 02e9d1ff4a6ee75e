import Fastify from 'fastify';
import { onRoutesWhere } from './route-hooks';

// Issue 25: hooks that only writing routes need are not run for the reads (the dashboards' 304).
describe('onRoutesWhere', () => {
  it('runs the hooks on the routes of the methods chosen only, after their own, and keeps them', async () => {
    const fastify = Fastify();
    const ran: string[] = [];
    onRoutesWhere(fastify, (method) => method !== 'GET' && method !== 'HEAD', {
      preHandler: (request: { method: string }, _reply: unknown, done: () => void) => {
        ran.push(`pre ${request.method}`);
        done();
      },
      onSend: (_request: unknown, _reply: unknown, payload: unknown, done: (error: null, payload: unknown) => void) => {
        ran.push('send');
        done(null, payload);
      },
    });
    const own = (_request: unknown, _reply: unknown, done: () => void) => {
      ran.push('own');
      done();
    };
    fastify.get('/x', async () => 'read');
    fastify.post('/x', { preHandler: own }, async () => 'written');
    fastify.route({ method: ['PUT', 'DELETE'], url: '/y', handler: async () => 'both' });
    await fastify.ready();

    expect((await fastify.inject({ method: 'GET', url: '/x' })).body).toBe('read');
    expect(ran).toEqual([]);
    expect((await fastify.inject({ method: 'POST', url: '/x' })).body).toBe('written');
    expect(ran).toEqual(['own', 'pre POST', 'send']);
    ran.length = 0;
    await fastify.inject({ method: 'DELETE', url: '/y' });
    expect(ran).toEqual(['pre DELETE', 'send']);
    await fastify.close();
  });
});
