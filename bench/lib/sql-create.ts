import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createBody } from './bodies';
import { percentile } from './stats';

// The raw-SQL baseline of one create: the statements the service sends for POST /api/v1/tickets, sent
// directly with `pg` — claim the Idempotency-Key; in one transaction read the unit and the kind's
// policies, take the next number (ticket_number_next), insert the ticket and its CREATED event; then
// store the answer under the key. No HTTP, no validation, no ORM.
const INSERT_TICKET = `
  INSERT INTO tickets (number, kind, unit_code, channel, status, customer_name, customer_phone, customer_id_pel,
    customer_meter_number, customer_address, customer_province, problem_type, sub_type, wo_type, description, urgent,
    reported_at, sla_deadline, over_sla, confirmation_window_minutes, auto_transfer_at, closed_at, cancel_reason,
    previous_number, reference_number, callback_at, transferred_from_number, last_event_at, created_at, updated_at)
  VALUES ($1, $2, $3, $4, 'LAPOR', $5, $6, $7, NULL, $8, $9, $10, $11, $12, $13, $14, $15, $16, false, $17, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL, $15, $18, $18)
  RETURNING *`;

interface Policy {
  id: string;
  problem_type: string | null;
  sub_type: string | null;
  sla_minutes: number;
  confirmation_window_minutes: number;
}

async function createOne(client: Client, i: number, unitCode: string, keyPrefix: string): Promise<void> {
  const body = createBody(i, unitCode) as { kind: 'GANGGUAN' | 'KELUHAN'; channel: string; problemType: string; subType?: string; description: string; urgent?: boolean; customer: Record<string, string> };
  const now = new Date();
  const key = `10:bench-sql:${keyPrefix}-${i}`;
  const fingerprint = createHash('sha256').update(`POST /api/v1/tickets\n${JSON.stringify(body)}`).digest('hex');
  await client.query(
    `INSERT INTO idempotency_keys (key, fingerprint, locked_until, created_at) VALUES ($1, $2, $3, $4)
     ON CONFLICT (key) DO UPDATE SET fingerprint = EXCLUDED.fingerprint WHERE idempotency_keys.locked_until <= $4 RETURNING key`,
    [key, fingerprint, new Date(now.getTime() + 60_000), now],
  );
  await client.query('BEGIN');
  try {
    const unit = (await client.query<{ time_zone: string }>('SELECT code, name, time_zone FROM units WHERE code = $1 LIMIT 1', [unitCode])).rows[0];
    if (!unit) throw new Error(`unit ${unitCode} is not registered`);
    const policies = (await client.query<Policy>('SELECT * FROM policies WHERE kind = $1', [body.kind])).rows;
    const policy =
      policies.find((p) => p.problem_type === body.problemType && p.sub_type === (body.subType ?? null)) ??
      policies.find((p) => p.problem_type === body.problemType && p.sub_type === null) ??
      policies.find((p) => p.problem_type === null && p.sub_type === null)!;
    const year = now.getUTCFullYear();
    const letter = body.kind === 'GANGGUAN' ? 'G' : 'K';
    const seq = (await client.query<{ seq: number }>('SELECT ticket_number_next($1, $2, $3::int)::int AS seq', [letter, unitCode, year])).rows[0].seq;
    const number = `${letter}${unitCode}${year}${String(seq).padStart(6, '0')}`;
    const c = body.customer;
    const ticket = await client.query(INSERT_TICKET, [
      number, body.kind, unitCode, body.channel, c.name, c.phone, c.idPel ?? null, c.address ?? null, c.province?.toUpperCase() ?? null,
      body.problemType, body.subType ?? null, body.kind === 'GANGGUAN' ? 'AUTODISPATCH' : null, body.description, body.urgent ?? false,
      now, new Date(now.getTime() + policy.sla_minutes * 60_000), policy.confirmation_window_minutes, now,
    ]);
    await client.query(
      `INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
       VALUES ($1, 'CREATED', NULL, 'LAPOR', NULL, 'bench-sql', 'cso', $2, $2)`,
      [number, now],
    );
    await client.query('COMMIT');
    await client.query('UPDATE idempotency_keys SET status_code = 201, response_body = $2 WHERE key = $1', [key, JSON.stringify({ contentType: 'application/json', payload: JSON.stringify(ticket.rows[0]) })]);
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

export interface SqlCreateResult {
  perSecond: number;
  created: number;
  p50: number;
  p99: number;
}

/** `connections` clients creating tickets back to back for `seconds`. */
export async function sqlCreateBaseline(url: string, connections: number, seconds: number, units: string[]): Promise<SqlCreateResult> {
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined); // the query in flight fails too, and reports it
    await client.connect();
    return client;
  }));
  const prefix = randomBytes(4).toString('hex');
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const deadline = started + seconds * 1000;
  try {
    await Promise.all(
      clients.map(async (client) => {
        while (performance.now() < deadline) {
          const i = next++;
          const t = performance.now();
          await createOne(client, i, units[i % units.length], prefix);
          latencies.push(performance.now() - t);
        }
      }),
    );
  } finally {
    await Promise.all(clients.map((c) => c.end()));
  }
  const elapsed = (performance.now() - started) / 1000;
  return { perSecond: latencies.length / elapsed, created: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
