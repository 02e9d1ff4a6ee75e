import Fastify from 'fastify';

// Scenario 9a's baseline: a bare Fastify process answering the list's route shape from memory — 304 to
// the ETag it gave, 200 with the ETag otherwise. What the web framework itself costs for a 304.
const ETAG = 'W/"bare-fastify-baseline"';
const app = Fastify({ logger: false });
app.get('/api/v1/tickets', (request, reply) => {
  void reply.header('etag', ETAG);
  if (request.headers['if-none-match'] === ETAG) return reply.status(304).send();
  return reply.send({ items: [], nextCursor: null });
});
app.listen({ port: Number(process.argv[2]), host: '127.0.0.1' }).then(
  () => process.stdout.write('ready\n'),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
