import { Client } from 'pg';
import type { Run } from './rounds';
import { percentile } from './stats';

// The raw-SQL baselines of a unit's status move (POST /tickets/{n}/status) and of a re-report that R-R1
// appends as an update note (POST /tickets/{n}/re-reports on an open ticket within its SLA): the
// transaction the service runs for each, sent directly with `pg` as named prepared statements — the
// ticket locked, the rule's reads, the ticket updated and its event inserted in one statement, committed
// (the outbox trigger of the event runs at commit as it does for the service). No HTTP, no validation,
// no ORM: four round trips for a move, five for a re-report (the unit's time zone is read for R-R1).
const LOCK = {
  name: 'bench_lock',
  text: `SELECT number, kind, status, unit_code, version, last_event_at, sla_deadline, previous_number, reference_number, close_reason, cancel_reason, urgent
    FROM tickets WHERE number = $1 FOR UPDATE`,
};
const TIME_ZONE = { name: 'bench_time_zone', text: 'SELECT time_zone FROM units WHERE code = $1' };
const CHANGE = {
  name: 'bench_change',
  text: `WITH t AS (
      UPDATE tickets SET status = coalesce($2::"TicketStatus", status), update_count = update_count + $3::int, version = version + 1,
        updated_at = $4, last_event_at = greatest(last_event_at, $4)
      WHERE number = $1 RETURNING *)
    INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
    SELECT number, $5, CASE WHEN $2::text IS NULL THEN NULL ELSE $6::"TicketStatus" END, $2::"TicketStatus", $7, $8, $9, $4, $4 FROM t
    RETURNING (SELECT row_to_json(t) FROM t) AS ticket`,
};

async function move(client: Client, number: string): Promise<void> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ kind: string; status: string }>({ ...LOCK, values: [number] });
    const to = rows[0].kind === 'GANGGUAN' ? 'PENUGASAN' : 'DIPROSES';
    const now = new Date();
    await client.query({ ...CHANGE, values: [number, to, 0, now, 'STATUS_CHANGED', rows[0].status, 'Petugas ditugaskan', 'bench-sql', 'unit'] });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

async function reReport(client: Client, number: string): Promise<void> {
  await client.query('BEGIN');
  try {
    const { rows } = await client.query<{ unit_code: string; sla_deadline: Date; status: string }>({ ...LOCK, values: [number] });
    await client.query({ ...TIME_ZONE, values: [rows[0].unit_code] });
    const now = new Date();
    if (now >= rows[0].sla_deadline) throw new Error(`${number} is over its SLA: not R-R1`);
    await client.query({ ...CHANGE, values: [number, null, 1, now, 'UPDATE_LAPOR', rows[0].status, 'Pelanggan melapor kembali', 'bench-sql', 'cso'] });
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
}

/** `connections` clients running `kind` once for each of `numbers` (a re-report may name a ticket again). */
export async function sqlTicketWrites(url: string, kind: 'move' | 'reReport', connections: number, numbers: string[], count = numbers.length): Promise<Run> {
  const clients = await Promise.all(Array.from({ length: connections }, async () => {
    const client = new Client({ connectionString: url });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }));
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  try {
    await Promise.all(
      clients.map(async (client) => {
        for (let i = next++; i < count; i = next++) {
          const t = performance.now();
          await (kind === 'move' ? move : reReport)(client, numbers[i % numbers.length]);
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
