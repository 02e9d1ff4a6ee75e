import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { requestFingerprint } from '../../src/http/idempotency';
import { insertTicketStatement, preparedInsert } from '../../src/tickets/sql/insert-ticket.sql';
import { createBody } from './bodies';
import type { Run } from './rounds';
import { percentile } from './stats';

// The raw-SQL baseline of one create: the statement the service sends for POST /api/v1/tickets with a new
// Idempotency-Key, sent directly with `pg` — insertTicketStatement with the key, which draws the number,
// applies the policy times, inserts the ticket and its CREATED event, and stores the key with the answer,
// all in one statement. No HTTP, no validation, no ORM. Prepared like the service's
// (preparedInsert), so the baseline is the same work on the server.
/** A create's body as bench/lib/bodies.ts makes it. */
export interface CreateBody {
  kind: 'GANGGUAN' | 'KELUHAN';
  channel: 'CC123';
  problemType: string;
  subType?: string;
  description: string;
  urgent?: boolean;
  customer: Record<string, string>;
}

/** The service's create statement for `body` in `unitCode` with the Idempotency-Key `key`, by `actor` (a CSO), prepared like the service's. */
export function createStatement(body: CreateBody, unitCode: string, actor: string, key: string): ReturnType<typeof preparedInsert> {
  const now = new Date();
  const c = body.customer;
  return preparedInsert(
    insertTicketStatement(
      {
        kind: body.kind,
        unitCode,
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
      { sub: actor, role: 'cso' },
      now,
      { key, fingerprint: requestFingerprint('POST', '/api/v1/tickets', body) },
    ),
  );
}

async function createOne(client: Client, i: number, unitCode: string, keyPrefix: string): Promise<{ number: string; kind: string; urgent: boolean }> {
  const body = createBody(i, unitCode) as unknown as CreateBody;
  const { rows } = await client.query<{ ticket: { number: string; kind: string; urgent: boolean } }>(createStatement(body, unitCode, 'bench-sql', `10:bench-sql:${keyPrefix}-${i}`));
  if (rows.length !== 1) throw new Error(`baseline create ${i}: no ticket`);
  return rows[0].ticket;
}

/** `count` tickets made by the service's own create statement over `connections` clients (seeding). */
export async function sqlCreateMany(url: string, connections: number, count: number, units: string[]): Promise<{ number: string; kind: string; urgent: boolean; unitCode: string }[]> {
  const made: { number: string; kind: string; urgent: boolean; unitCode: string }[] = [];
  const prefix = randomBytes(4).toString('hex');
  let next = 0;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const client = new Client({ connectionString: url });
      await client.connect();
      try {
        for (let i = next++; i < count; i = next++) made.push({ ...(await createOne(client, i, units[i % units.length], prefix)), unitCode: units[i % units.length] });
      } finally {
        await client.end();
      }
    }),
  );
  return made;
}

/** `connections` clients creating tickets back to back for `seconds`. */
export async function sqlCreateBaseline(url: string, connections: number, seconds: number, units: string[]): Promise<Run> {
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
  return { done: latencies.length, seconds: elapsed, p50: percentile(latencies, 50), p99: percentile(latencies, 99) };
}
