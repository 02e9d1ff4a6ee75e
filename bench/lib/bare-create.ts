import Fastify from 'fastify';
import { Pool } from 'pg';
import { requestFingerprint } from '../../src/http/idempotency';
import { insertTicketStatement, preparedInsert } from '../../src/tickets/sql/insert-ticket.sql';

// Scenario 1's framework baseline: a bare Fastify process whose POST /api/v1/tickets sends the service's
// own create statement (the raw-SQL baseline's, bench/lib/sql-create.ts) through a `pg` pool of the
// service's default size, and answers 201 with the ticket. No token, no checks of the body, no access log,
// no metrics, no tracing: what any Node.js HTTP service in front of this statement costs on these cores.
// Started as `node bare-create.js <port> <database url> <pool size>`; prints `ready` when listening.
interface Body {
  kind: 'GANGGUAN' | 'KELUHAN';
  channel: 'CC123';
  problemType: string;
  subType?: string;
  description: string;
  urgent?: boolean;
  unitCode: string;
  customer: Record<string, string>;
}

const [port, url, size] = process.argv.slice(2);
const pool = new Pool({ connectionString: url, max: Number(size) });
const app = Fastify({ logger: false });
app.post('/api/v1/tickets', async (request, reply) => {
  const body = request.body as Body;
  const now = new Date();
  const key = `10:bench-bare:${String(request.headers['idempotency-key'])}`;
  const c = body.customer;
  const statement = insertTicketStatement(
    {
      kind: body.kind,
      unitCode: body.unitCode,
      channel: body.channel,
      customer: { name: c.name, phone: c.phone, idPel: c.idPel ?? null, address: c.address ?? null, province: c.province?.toUpperCase() ?? null },
      problemType: body.problemType,
      subType: body.subType ?? null,
      woType: body.kind === 'GANGGUAN' ? 'AUTODISPATCH' : null,
      description: body.description,
      urgent: body.urgent ?? false,
      reportedAt: now,
      status: 'LAPOR',
    },
    { sub: 'bench-bare', role: 'cso' },
    now,
    { key, fingerprint: requestFingerprint('POST', '/api/v1/tickets', body) },
  );
  const { rows } = await pool.query<{ ticket: unknown }>(preparedInsert(statement));
  return reply.status(201).send(rows[0].ticket);
});
app.listen({ port: Number(port), host: '127.0.0.1' }).then(
  () => process.stdout.write('ready\n'),
  (error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(1);
  },
);
