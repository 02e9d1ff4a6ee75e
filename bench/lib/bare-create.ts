import Fastify from 'fastify';
import { Pool } from 'pg';
import { type CreateBody, createStatement } from './sql-create';

// Scenario 1's framework baseline: a bare Fastify process whose POST /api/v1/tickets sends the service's
// own create statement (the raw-SQL baseline's, bench/lib/sql-create.ts) through a `pg` pool of the
// service's default size, and answers 201 with the ticket. No token, no checks of the body, no access log,
// no metrics, no tracing: what any Node.js HTTP service in front of this statement costs on these cores.
// Started as `node bare-create.js <port> <database url> <pool size>`; prints `ready` when listening.
const [port, url, size] = process.argv.slice(2);
const pool = new Pool({ connectionString: url, max: Number(size) });
const app = Fastify({ logger: false });
app.post('/api/v1/tickets', async (request, reply) => {
  const body = request.body as CreateBody & { unitCode: string };
  const statement = createStatement(body, body.unitCode, 'bench-bare', `10:bench-bare:${String(request.headers['idempotency-key'])}`);
  const { rows } = await pool.query<{ ticket: unknown }>(statement);
  return reply.status(201).send(rows[0].ticket);
});
app.listen({ port: Number(port), host: '127.0.0.1' }).then(
  () => process.stdout.write('ready\n'),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
