import { Client } from 'pg';
import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, WARM_UP_SECONDS } from '../lib/context';
import { insertUnits, withClient } from '../lib/database';
import { count, load, token } from '../lib/load';
import { idPelOf, LOOKUP_UNITS, nameSearchOf, seedCustomers, typedPhoneOf } from '../lib/seed-customers';
import { withService } from '../lib/service';
import { percentile } from '../lib/stats';
import { phoneKey } from '../../src/common/phone';

// Scenario 6 (issue 16): 2M tickets for 500k customers. GET /api/v1/customers/history by ID Pel, by
// phone (typed differently from how it is stored) and by name (a substring, other case, an accent), at
// 32 connections, against the same statements run in raw SQL over 32 connections in the same run: the
// customer's tickets, then their ListriQu orders, ITSM references and escalations. And each lookup's
// plan must use an index (EXPLAIN).
const S6 = '6 Customer lookup';
const CONNECTIONS = 32;
const TICKETS_PER_CUSTOMER = 4;

const COLUMNS = 'number, kind, unit_code, channel, status, customer_name, customer_phone, customer_id_pel, customer_meter_number, description, reported_at, sla_deadline, unit_answer, successor_number, updated_at';
const TICKETS_SQL: Record<string, string> = {
  'ID Pel': `SELECT ${COLUMNS} FROM tickets WHERE customer_id_pel = $1 ORDER BY reported_at DESC, number DESC LIMIT 50`,
  phone: `SELECT ${COLUMNS} FROM tickets WHERE customer_phone_key = $1 ORDER BY reported_at DESC, number DESC LIMIT 50`,
  name: `SELECT ${COLUMNS} FROM tickets WHERE customer_name_key LIKE '%' || replace(replace(replace(apkt_name_key($1), '!', '!!'), '%', '!%'), '_', '!_') || '%' ESCAPE '!' ORDER BY reported_at DESC, number DESC LIMIT 50`,
};
const RELATED_SQL = [
  `SELECT * FROM listriqu_orders WHERE ticket_number = ANY($1) ORDER BY created_at DESC, ticket_number DESC LIMIT 50`,
  `SELECT * FROM itsm_references WHERE id IN (SELECT reference_id FROM itsm_reference_tickets WHERE ticket_number = ANY($1)) OR customer_id_pel = ANY($2) ORDER BY created_at DESC, id DESC LIMIT 50`,
  `SELECT * FROM escalations WHERE ticket_number = ANY($1) ORDER BY created_at DESC, id DESC LIMIT 50`,
];

interface Kind {
  name: keyof typeof TICKETS_SQL;
  query: (c: number) => string;
  sqlArg: (c: number) => string;
}
const KINDS: Kind[] = [
  { name: 'ID Pel', query: (c) => `idPel=${idPelOf(c)}`, sqlArg: idPelOf },
  { name: 'phone', query: (c) => `phone=${encodeURIComponent(typedPhoneOf(c))}`, sqlArg: (c) => phoneKey(typedPhoneOf(c)) },
  { name: 'name', query: (c) => `name=${encodeURIComponent(nameSearchOf(c))}`, sqlArg: nameSearchOf },
];

interface Measured {
  perSecond: number;
  p99: number;
  errors: number;
}

/** The history's statements in raw SQL over 32 connections for `seconds`. */
async function rawSql(url: string, kind: Kind, customers: number, seconds: number): Promise<Measured> {
  const latencies: number[] = [];
  let errors = 0;
  const until = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONNECTIONS }, async () => {
      const c = new Client({ connectionString: url });
      await c.connect();
      try {
        while (performance.now() < until) {
          const customer = Math.floor(Math.random() * customers);
          const started = performance.now();
          try {
            const { rows } = await c.query<{ number: string; customer_id_pel: string | null }>(TICKETS_SQL[kind.name], [kind.sqlArg(customer)]);
            const numbers = rows.map((r) => r.number);
            const idPels = [...new Set(rows.map((r) => r.customer_id_pel).filter(Boolean))];
            await c.query(RELATED_SQL[0], [numbers]);
            await c.query(RELATED_SQL[1], [numbers, idPels]);
            await c.query(RELATED_SQL[2], [numbers]);
            latencies.push(performance.now() - started);
          } catch {
            errors++;
          }
        }
      } finally {
        await c.end();
      }
    }),
  );
  return { perSecond: latencies.length / seconds, p99: percentile(latencies, 99), errors };
}

/** Each lookup's plan, one line: the scan nodes it uses. */
async function plans(url: string): Promise<Record<string, string>> {
  return withClient(url, async (c) => {
    const out: Record<string, string> = {};
    for (const kind of KINDS) {
      const { rows } = await c.query<{ 'QUERY PLAN': string }>(`EXPLAIN (COSTS OFF) ${TICKETS_SQL[kind.name]}`, [kind.sqlArg(12345)]);
      out[kind.name] = rows
        .map((r) => r['QUERY PLAN'].trim().replace(/^->\s*/, ''))
        .filter((line) => /Scan/.test(line))
        .join(' / ');
    }
    return out;
  });
}

export async function customerLookup(bench: Bench): Promise<Row[]> {
  const tickets = scaled(bench, 2_000_000, 20_000);
  const customers = Math.max(1, Math.round(tickets / TICKETS_PER_CUSTOMER));
  const url = await bench.server.fresh('lookup');
  await insertUnits(url, unitCodes(LOOKUP_UNITS));
  const started = Date.now();
  await withClient(url, async (c) => {
    await seedCustomers(c, tickets, customers, (done) => tickets >= 400_000 && bench.log(`lookup: ${fmt(done)} of ${fmt(tickets)} tickets inserted`));
    await c.query('VACUUM ANALYZE tickets');
  });
  bench.log(`lookup: ${fmt(tickets)} tickets for ${fmt(customers)} customers seeded in ${fmt((Date.now() - started) / 1000, 1)} s`);
  const plan = await plans(url);
  const seconds = scaled(bench, 20, 3);
  const rows: Row[] = [];
  await withService(bench, { databaseUrl: url, jobs: false, name: 'lookup' }, async (service) => {
    const cso = await token(bench, 'cso');
    for (const kind of KINDS) {
      const run = (duration: number) =>
        load({
          url: service.url,
          connections: CONNECTIONS,
          duration,
          headers: { authorization: `Bearer ${cso}` },
          requests: [{ method: 'GET', setupRequest: (r) => ({ ...r, path: `/api/v1/customers/history?${kind.query(Math.floor(Math.random() * customers))}` }) }],
        });
      await run(WARM_UP_SECONDS);
      bench.log(`lookup by ${kind.name}: the service for ${seconds} s at ${CONNECTIONS} connections`);
      const result = await run(seconds);
      const served: Measured = { perSecond: count(result, 200) / result.duration, p99: result.latency.p99, errors: result.non2xx + result.errors + result.timeouts };
      bench.log(`lookup by ${kind.name}: raw SQL for ${seconds} s`);
      const sql = await rawSql(url, kind, customers, seconds);
      const share = served.perSecond / sql.perSecond;
      rows.push(
        { scenario: S6, metric: `by ${kind.name}: lookups/s (32 connections)`, value: fmt(served.perSecond), baseline: fmt(sql.perSecond), ratio: ratio(served.perSecond, sql.perSecond), target: '≥ 0.5× raw SQL', met: share >= 0.5 && served.errors === 0 },
        { scenario: S6, metric: `by ${kind.name}: p99`, value: `${fmt(served.p99)} ms`, baseline: `${fmt(sql.p99, 1)} ms` },
        { scenario: S6, metric: `by ${kind.name}: plan`, value: plan[kind.name], target: 'index scan', met: /Index/.test(plan[kind.name]) && !/Seq Scan/.test(plan[kind.name]) },
      );
      if (served.errors || sql.errors) bench.notes.push(`${S6} by ${kind.name}: ${served.errors} service errors, ${sql.errors} SQL errors`);
    }
  });
  await bench.server.drop('lookup');
  return rows;
}
