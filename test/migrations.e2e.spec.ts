import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDMMF } from '@prisma/internals';
import { Client, Pool } from 'pg';
import { listMigrations, migrate, MIGRATIONS_DIR } from '../src/database/migrator';
import type { PrismaService } from '../src/database/prisma.service';
import { OutboundRepository } from '../src/outbound/outbound.repository';
import { OPEN } from '../src/tickets/rules/lifecycle.rule';
import { pageStatement } from '../src/tickets/tickets.repository';
import { ADMIN_ENV, dropDatabase, emptyDatabase, withClient } from './support/database';

describe('migrator', () => {
  let url: string;
  beforeAll(async () => {
    url = await emptyDatabase();
  });
  afterAll(() => dropDatabase(process.env[ADMIN_ENV] as string, url));

  it('applies every migration once when several replicas start at the same moment', async () => {
    const results = await Promise.all([migrate(url), migrate(url), migrate(url)]);
    const names = (await listMigrations()).map((m) => m.name);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(names);
    const rows = await withClient(url, (c) =>
      c.query('SELECT migration_name, checksum, finished_at, applied_steps_count FROM "_prisma_migrations" ORDER BY migration_name'),
    );
    expect(rows.rows.map((r) => r.migration_name)).toEqual(names);
    for (const row of rows.rows) {
      const sql = readFileSync(join(MIGRATIONS_DIR, row.migration_name, 'migration.sql'));
      expect(row.checksum).toBe(createHash('sha256').update(sql).digest('hex'));
      expect(row.finished_at).not.toBeNull();
    }
  });

  it('does nothing on a second start', async () => {
    expect((await migrate(url)).applied).toEqual([]);
  });

  it('refuses a migration that was edited after it was applied', async () => {
    await withClient(url, (c) => c.query(`UPDATE "_prisma_migrations" SET checksum = 'x' WHERE migration_name = (SELECT min(migration_name) FROM "_prisma_migrations")`));
    await expect(migrate(url)).rejects.toThrow(/modified after it was applied/);
  });
});

// No tool here can diff a database against schema.prisma (the schema engine is offline), so this test
// does: every model, field, type, nullability, enum, primary key, unique and index of the schema is in
// the migrated database, and the database has nothing the schema does not know of, except the raw-SQL
// additions listed here.
const RAW_SQL_INDEXES = [
  'tickets_confirmation_due_idx',
  'tickets_auto_transfer_due_idx',
  'tickets_sla_due_idx',
  'escalations_due_queue_idx',
  'escalations_lease_due_idx',
  'itsm_references_waiting_due_idx',
  'tickets_urgent_list_idx',
  'tickets_re_reported_list_idx',
  'ticket_events_re_report_idx',
  'tickets_open_over_sla_idx',
  'tickets_open_list_idx',
  'tickets_personal_data_due_idx',
  'outbound_messages_pending_queue_idx',
  'outbound_messages_digest_tickets_idx',
  'outbound_messages_mail_unit_idx',
  'outbound_messages_mail_seq_idx',
  'outbound_messages_webhook_seq_idx',
];

describe('the migrated database matches prisma/schema.prisma', () => {
  let url: string;
  let db: Client;
  let dmmf: Awaited<ReturnType<typeof getDMMF>>;
  beforeAll(async () => {
    url = await emptyDatabase();
    await migrate(url);
    db = new Client({ connectionString: url });
    await db.connect();
    dmmf = await getDMMF({ datamodel: readFileSync(join(__dirname, '..', 'prisma', 'schema.prisma'), 'utf8') });
  });
  afterAll(async () => {
    await db.end();
    await dropDatabase(process.env[ADMIN_ENV] as string, url);
  });

  const tableOf = (model: string) => {
    const m = dmmf.datamodel.models.find((x) => x.name === model)!;
    return m.dbName ?? m.name;
  };

  function expectedType(field: { kind: string; type: string; nativeType?: unknown }): string {
    const native = field.nativeType as [string, string[]] | null | undefined;
    if (field.kind === 'enum') return field.type;
    if (native?.[0] === 'VarChar') return `character varying(${native[1][0]})`;
    if (native?.[0] === 'Timestamptz') return `timestamp(${native[1][0] ?? 6}) with time zone`;
    if (native?.[0] === 'Uuid') return 'uuid';
    if (native?.[0] === 'Date') return 'date';
    const plain: Record<string, string> = {
      String: 'text',
      Int: 'integer',
      BigInt: 'bigint',
      Float: 'double precision',
      Boolean: 'boolean',
      DateTime: 'timestamp(3) without time zone',
      Json: 'jsonb',
    };
    return plain[field.type];
  }

  it('has exactly the tables of the models', async () => {
    const { rows } = await db.query(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> '_prisma_migrations'`);
    expect(rows.map((r) => r.table_name).sort()).toEqual(dmmf.datamodel.models.map((m) => m.dbName ?? m.name).sort());
  });

  it('has exactly the enums and their values', async () => {
    const { rows } = await db.query(
      `SELECT t.typname::text AS typname, array_agg(e.enumlabel::text ORDER BY e.enumsortorder) AS labels FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid GROUP BY t.typname`,
    );
    const actual = Object.fromEntries(rows.map((r) => [r.typname, r.labels]));
    const expected = Object.fromEntries(dmmf.datamodel.enums.map((e) => [e.dbName ?? e.name, e.values.map((v) => v.dbName ?? v.name)]));
    expect(actual).toEqual(expected);
  });

  it('has every field as a column of the right type and nullability, and no other column', async () => {
    const { rows } = await db.query(
      `SELECT c.table_name, c.column_name, c.is_nullable, format_type(a.atttypid, a.atttypmod) AS type
       FROM information_schema.columns c
       JOIN pg_attribute a ON a.attrelid = (quote_ident(c.table_name))::regclass AND a.attname = c.column_name
       WHERE c.table_schema = 'public' AND c.table_name <> '_prisma_migrations'`,
    );
    const actual = rows.map((r) => `${r.table_name}.${r.column_name} ${r.type.replace(/"/g, '')} ${r.is_nullable === 'YES' ? 'NULL' : 'NOT NULL'}`).sort();
    const expected = dmmf.datamodel.models
      .flatMap((m) =>
        m.fields
          .filter((f) => f.kind !== 'object')
          .map((f) => `${m.dbName ?? m.name}.${f.dbName ?? f.name} ${expectedType(f)}${f.isList ? '[]' : ''} ${f.isRequired ? 'NOT NULL' : 'NULL'}`), // a scalar list (String[]) is an array column
      )
      .sort();
    expect(actual).toEqual(expected);
  });

  it('has every primary key, unique and index of the schema, and no other index but the raw-SQL ones', async () => {
    const { rows } = await db.query(
      `SELECT t.relname AS table_name, i.relname AS index_name, ix.indisunique AS is_unique, ix.indisprimary AS is_primary,
              array_agg(a.attname::text ORDER BY k.ord) AS columns
       FROM pg_index ix
       JOIN pg_class i ON i.oid = ix.indexrelid
       JOIN pg_class t ON t.oid = ix.indrelid
       JOIN pg_namespace n ON n.oid = t.relnamespace AND n.nspname = 'public'
       CROSS JOIN LATERAL unnest(ix.indkey) WITH ORDINALITY AS k(attnum, ord)
       LEFT JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
       WHERE t.relname <> '_prisma_migrations'
       GROUP BY t.relname, i.relname, ix.indisunique, ix.indisprimary`,
    );
    const actual = rows
      .filter((r) => !RAW_SQL_INDEXES.includes(r.index_name))
      .map((r) => `${r.table_name} ${r.is_primary ? 'id' : r.is_unique ? 'unique' : 'normal'} (${r.columns.join(',')})`)
      .sort();
    const columnOf = (model: string, field: string) => {
      const m = dmmf.datamodel.models.find((x) => x.name === model)!;
      const f = m.fields.find((x) => x.name === field)!;
      return f.dbName ?? f.name;
    };
    const expected = dmmf.datamodel.indexes
      .map((ix) => `${tableOf(ix.model)} ${ix.type} (${ix.fields.map((f) => columnOf(ix.model, f.name)).join(',')})`)
      .sort();
    expect(actual).toEqual(expected);
    expect(rows.map((r) => r.index_name)).toEqual(expect.arrayContaining(RAW_SQL_INDEXES));
  });

  /** The plan of a statement, with seqscan off so that an empty table does not hide the index it would use. */
  const planOf = async (text: string, values: unknown[] = []): Promise<string> => {
    await db.query('SET enable_seqscan = off');
    try {
      const { rows } = await db.query(`EXPLAIN ${text}`, values);
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await db.query('RESET enable_seqscan');
    }
  };

  it('counts the apkt_tickets_open_over_sla gauge from its partial index, not a scan of the tickets', async () => {
    // the statement of TicketJobsService.openOverSla
    const plan = await planOf(`SELECT count(*)::int AS n FROM tickets WHERE over_sla AND status IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'DIPROSES')`);
    expect(plan).toContain('tickets_open_over_sla_idx');
  });

  // Issue 26 (R-H2, R-H3): a UP3's open list finds its page's keys in each ULP's range of the open-list
  // index alone (no heap row read per ULP), then reads only the page's rows. The statement is the
  // service's own, first page and a later page (cursor).
  it.each([
    ['first page', { status: { in: [...OPEN] } }],
    ['a later page', { AND: [{ status: { in: [...OPEN] } }, { OR: [{ updatedAt: { gt: new Date('2026-11-01T00:00:00Z') } }, { updatedAt: new Date('2026-11-01T00:00:00Z'), number: { gt: 'G1002026000001' } }] }] }],
  ])('R-H3 the open list of several ULPs reads its keys index-only from tickets_open_list_idx (%s)', async (_, where) => {
    const statement = pageStatement(['100', '101', '102'], where, 51);
    const plan = await planOf(statement.text, statement.values);
    expect(plan).toContain('Index Only Scan using tickets_open_list_idx');
    expect(plan).toContain('tickets_pkey');
  });

  it('R-H3 the open list of one ULP reads tickets_open_list_idx in its order', async () => {
    const statement = pageStatement(['100'], { status: { in: [...OPEN] } }, 51);
    const plan = await planOf(statement.text, statement.values);
    expect(plan).toContain('tickets_open_list_idx');
    expect(plan).not.toContain('Sort');
  });
});

/** An SQL function's body and its own settings (`name=value`, from its SET clauses). */
async function functionOf(db: Client, name: string): Promise<{ src: string; config: string[] }> {
  const { rows } = await db.query<{ src: string; config: string[] | null }>(`SELECT prosrc AS src, proconfig AS config FROM pg_proc WHERE proname = $1`, [name]);
  return { src: rows[0].src, config: rows[0].config ?? [] };
}

/** The plan of `statement` under `settings` (`name=value`, set for one transaction, rolled back). */
async function planUnder(db: Client, settings: string[], statement: string, values: unknown[]): Promise<string> {
  await db.query('BEGIN');
  try {
    for (const setting of settings) {
      const [name, value] = setting.split('=');
      await db.query(`SET LOCAL ${name} = ${value}`);
    }
    return (await db.query(`EXPLAIN ${statement}`, values)).rows.map((r) => r['QUERY PLAN']).join('\n');
  } finally {
    await db.query('ROLLBACK');
  }
}

// Issues 27 and 30 (R-W2): the dispatcher's claim (outbound_due_first) checks each candidate for an
// earlier PENDING message of its subject to its endpoint. That check must read the index that has the
// subject, whatever the statistics: each other plan the planner found reads every earlier message (to
// the endpoint, or waiting) once per candidate, and the dispatcher fell further behind the longer its
// backlog. Seen: with statistics of a quiet table, the walk of outbound_messages_pending_seq_idx (1.6–2.6
// s per claim with 3,000 waiting); with narrow rows (shared payloads), a plan made while the table was
// small read the list's index (webhook_id, seq) (3.4 s per claim once the burst came), one made on a
// busy table a Seq Scan kept in a Materialize (640–870 ms per claim).
describe('R-W2 the claim order check under any statistics', () => {
  let url: string;
  let db: Client;
  let hooks: string[];
  // a database of its own for each case: statistics and cached plans start afresh
  beforeEach(async () => {
    url = await emptyDatabase();
    await migrate(url);
    db = new Client({ connectionString: url });
    await db.connect();
    const { rows } = await db.query<{ id: string }>(
      `INSERT INTO webhooks (url, event_types, secret, created_at, updated_at)
       SELECT 'https://example.com/h' || g, '{*}', 'whsec_x', now(), now() FROM generate_series(1, 3) g RETURNING id`,
    );
    hooks = rows.map((h) => h.id);
  });
  afterEach(async () => {
    await db.end();
    await dropDatabase(process.env[ADMIN_ENV] as string, url);
  });

  /** Messages `from`…`to` of one subject each to the three endpoints, wide (their own payload) or narrow. */
  const insert = async (from: number, to: number, status: string, narrow: boolean) => {
    if (narrow) await db.query(`INSERT INTO outbound_payloads (id, body) SELECT g, '{}'::jsonb FROM generate_series($1::int, $2::int) g`, [from, to]);
    await db.query(
      `INSERT INTO outbound_messages (id, channel, webhook_id, type, subject_key, unit_code, payload, payload_id, status, created_at, next_attempt_at)
       SELECT 'msg_' || g || '_' || h.ord, 'WEBHOOK', h.id, 'ticket.created', 'ticket:' || g, '54110',
         CASE WHEN $5 THEN NULL ELSE jsonb_build_object('data', repeat('x', 1200)) END, CASE WHEN $5 THEN g END, $4, now(), now()
       FROM generate_series($1::int, $2::int) g, unnest($3::uuid[]) WITH ORDINALITY h(id, ord) ORDER BY g, h.ord`,
      [from, to, hooks, status, narrow],
    );
  };

  /** The walk's statement planned under the function's own settings (and `extra` before them). */
  const planOfWalk = async (extra: string[] = []): Promise<string> => {
    const walk = await functionOf(db, 'outbound_due_first');
    const statement = walk.src
      .replace(/\bat\b/g, '$1')
      .replace(/\bkeys\b/g, '($2::text[])')
      .replace(/\bsizes\b/g, '($3::int[])')
      .replace(/\bother\b/g, '$4::int')
      .replace(/LIMIT scan\b/g, 'LIMIT $5');
    return planUnder(db, [...extra, ...walk.config], statement, [new Date(), [hooks[0]], [150], 16, 1000]);
  };

  /** Every read of the check's `p` is a probe of the subject's index; nothing is kept and rescanned. */
  const expectProbeBySubject = (plan: string) => {
    const reads = plan.split('\n').filter((line) => / on outbound_messages p\b/.test(line));
    expect(reads.length).toBeGreaterThan(0);
    for (const line of reads) expect(line).toMatch(/Index (Only )?Scan using outbound_messages_webhook_id_subject_key_seq_idx on outbound_messages p\b/);
    expect(plan).not.toMatch(/Materialize|Seq Scan on outbound_messages/);
    // each queue's waiting messages from the index of the waiting ones, queue by queue (a dead endpoint's
    // backlog hides no other endpoint's, 20261206190000)
    const walks = plan.split('\n').filter((line) => / on outbound_messages s(_\d+)?\b/.test(line));
    expect(walks).toHaveLength(2); // the endpoints' and the mail channel's
    for (const line of walks) expect(line).toMatch(/Index Scan using outbound_messages_pending_queue_idx on outbound_messages s(_\d+)?\b/);
    // and the count of what each queue has claimed already, along the same index (20261207010000)
    const counts = plan.split('\n').filter((line) => / on outbound_messages k(_\d+)?\b/.test(line));
    expect(counts).toHaveLength(2);
    for (const line of counts) expect(line).toMatch(/Index Scan using outbound_messages_pending_queue_idx on outbound_messages k(_\d+)?\b/);
  };

  it('gives each queue at most its window of due messages, the first in order (20261206190000, 20261206200000)', async () => {
    await insert(1, 300, 'PENDING', true);
    const { rows } = await db.query<{ hook: string; n: number; first: string }>(
      `SELECT webhook_id::text AS hook, count(*)::int AS n, min(seq)::text AS first FROM outbound_due_first(now() + interval '1 second', $1::text[], $2::int[], 5, 1000)
       GROUP BY 1`,
      [[hooks[0]], [2]],
    );
    const firstSeq = await db.query<{ hook: string; seq: string }>(`SELECT webhook_id::text AS hook, min(seq)::text AS seq FROM outbound_messages GROUP BY 1`);
    const expected = hooks.map((hook) => ({ hook, n: hook === hooks[0] ? 2 : 5, first: firstSeq.rows.find((r) => r.hook === hook)!.seq }));
    const byHook = (a: { hook: string }, b: { hook: string }) => (a.hook < b.hook ? -1 : 1);
    expect([...rows].sort(byHook)).toEqual(expected.sort(byHook));
  });

  it('gives a queue its window less what is claimed there already, by any claimer, lease not over (20261207010000)', async () => {
    await insert(1, 300, 'PENDING', true);
    const claim = (hook: string, n: number, until: string) =>
      db.query(`UPDATE outbound_messages SET claimed_by = 'elsewhere', claimed_until = now() + $3::interval
        WHERE id IN (SELECT id FROM outbound_messages WHERE webhook_id = $1 ORDER BY seq LIMIT $2)`, [hook, n, until]);
    await claim(hooks[1], 3, '1 minute');
    await claim(hooks[2], 3, '-1 minute'); // a lease that ran out holds nothing
    const { rows } = await db.query<{ hook: string; n: number }>(
      `SELECT webhook_id::text AS hook, count(*)::int AS n FROM outbound_due_first(now() + interval '1 second', '{}', '{}', 5, 1000) GROUP BY 1`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.hook, r.n]))).toEqual({ [hooks[0]]: 5, [hooks[1]]: 2, [hooks[2]]: 5 });
  });

  it('a claim, its release and a retry rewrite no index: HOT updates (20261207010000)', async () => {
    await insert(1, 200, 'PENDING', true);
    const hot = async (statement: string) => {
      const count = async () =>
        (await db.query<{ hot: number }>(`SELECT n_tup_hot_upd::int AS hot FROM pg_stat_xact_user_tables WHERE relname = 'outbound_messages'`)).rows[0].hot;
      await db.query('BEGIN');
      try {
        const before = await count();
        const { rowCount } = await db.query(statement);
        return { updated: rowCount, hot: (await count()) - before };
      } finally {
        await db.query('ROLLBACK');
      }
    };
    expect(await hot(`UPDATE outbound_messages SET claimed_by = 'd', claimed_until = now() + interval '1 minute' WHERE seq % 3 = 0`)).toEqual({ updated: 200, hot: 200 });
    expect(await hot(`UPDATE outbound_messages SET claimed_by = NULL, claimed_until = NULL, attempt_count = 1, next_attempt_at = now() + interval '5 seconds' WHERE seq % 3 = 1`)).toEqual({ updated: 200, hot: 200 });
  });

  it('statistics of a quiet table, then a burst of 3,000 waiting', async () => {
    await insert(1, 100, 'DELIVERED', false);
    await db.query('ANALYZE outbound_messages');
    await insert(101, 10_000, 'DELIVERED', false);
    await insert(10_001, 11_000, 'PENDING', false);
    expectProbeBySubject(await planOfWalk());
  });

  it('narrow rows (shared payloads): planned while the table is small (the first claims of a burst)', async () => {
    await insert(1, 300, 'PENDING', true);
    expectProbeBySubject(await planOfWalk());
  });

  it('a claim keeps no generic plan made on a fresh outbox (issue 27: a sequential scan of every message for the picked ids)', async () => {
    // scenario 16 under auto_explain: the named claim's generic plan, made on the first claims of an
    // empty outbox, read the picked ids by a Seq Scan once the table had grown: 40 ms per claim of 90 rows
    const pool = new Pool({ connectionString: url, max: 1 });
    try {
      const repository = new OutboundRepository({ pool } as unknown as PrismaService);
      const claim = () => repository.claim(new Date(Date.now() + 1_000), new Date(Date.now() + 60_000), 'test-claimer', 100, new Map(), 16);
      await insert(1, 2, 'PENDING', true);
      const first = await claim();
      expect(first).toHaveLength(6);
      // only what the dispatcher and the mailer read: each date column parsed is CPU per delivery
      expect(Object.keys(first[0]).sort()).toEqual(['attemptCount', 'channel', 'claimedUntil', 'id', 'mailTo', 'payload', 'payloadId', 'seq', 'subject', 'type', 'webhookId']);
      for (let i = 0; i < 8; i++) await claim(); // past the five custom plans after which a named statement may keep a generic one
      await insert(3, 3_000, 'PENDING', true);
      expect(await claim()).toHaveLength(3 * (16 - 2)); // each endpoint's window (16) less its two claimed already
      const { rows } = await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM pg_prepared_statements WHERE statement LIKE '%outbound_due_first%'`);
      expect(rows[0].n).toBe(0);
    } finally {
      await pool.end();
    }
  });

  it('narrow rows: statistics of a busy table, index probes priced high (random_page_cost 10)', async () => {
    await insert(1, 7_300, 'DELIVERED', true);
    await insert(7_301, 10_000, 'PENDING', true);
    await db.query('ANALYZE outbound_messages');
    expectProbeBySubject(await planOfWalk(['random_page_cost=10']));
  });
});

// Issue 30, R-F1: every replica's watcher reads the change feed five times a second while tickets are
// written. Planned on a table PostgreSQL had no statistics for yet (a new database, before autovacuum's
// first ANALYZE), its window was read by a Seq Scan of every ticket (bench scenario 1 under auto_explain:
// 18–37 ms a read at 20,000–60,000 tickets, growing with the table) where an index range held the 200–300
// rows committed since the last read. change_feed_window (20261207050000) reads that range by
// tickets_change_xid_number_idx whatever the statistics; here a sequential scan is priced as cheap as it
// can be, so the planner would take it.
describe('R-F1 the change feed window by index under any statistics', () => {
  let url: string;
  let db: Client;
  /** The 40 transactions' ids, in order. */
  let xids: string[];
  beforeAll(async () => {
    url = await emptyDatabase();
    await migrate(url);
    db = new Client({ connectionString: url });
    await db.connect();
    await db.query(`INSERT INTO units (code, name, time_zone, created_at, updated_at) VALUES ('542', 'ULP 542', 'Asia/Jakarta', now(), now())`);
    // 40 transactions of 100 tickets: 40 change ids, 4,000 rows; statistics taken half-way
    const batch = (from: number) =>
      db.query(
        `INSERT INTO tickets (number, kind, unit_code, channel, status, problem_type, description, reported_at, sla_deadline, over_sla,
           confirmation_window_minutes, last_event_at, created_at, updated_at)
         SELECT 'G5422026' || lpad(g::text, 6, '0'), 'GANGGUAN', '542', 'CC123', 'LAPOR', 'PADAM_1_RUMAH', 'x', now(), now(), false, 1440, now(), now(), now()
         FROM generate_series($1::int, $1::int + 99) g`,
        [from],
      );
    for (let i = 0; i < 20; i++) await batch(1 + i * 100);
    await db.query('ANALYZE tickets');
    for (let i = 20; i < 40; i++) await batch(1 + i * 100);
    xids = (await db.query<{ x: string }>('SELECT DISTINCT change_xid::text AS x FROM tickets ORDER BY 1')).rows.map((r) => r.x);
  });
  afterAll(async () => {
    await db.end();
    await dropDatabase(process.env[ADMIN_ENV] as string, url);
  });

  /** The window after the 35th transaction, planned with `settings` (the function's own, or none). */
  const planOfWindow = async (settings: string[]): Promise<string> => {
    const statement = (await functionOf(db, 'change_feed_window')).src
      .replace(/\blower\b/g, '$1::bigint')
      .replace(/\bprev\b/g, '$2::pg_snapshot')
      .replace(/\bsnap\b/g, '$3::pg_snapshot')
      .replace(/\bunits\b/g, '$4::text[]')
      .replace(/\bafter_xid\b/g, '$5::bigint')
      .replace(/\bafter_number\b/g, '$6::text')
      .replace(/LIMIT n\b/, 'LIMIT $7');
    const snap = (await db.query<{ s: string }>('SELECT pg_current_snapshot()::text AS s')).rows[0].s;
    return planUnder(db, ['seq_page_cost=0.01', 'random_page_cost=100', ...settings], statement, [xids[35], `${xids[35]}:${xids[35]}:`, snap, null, null, null, 501]);
  };

  it('reads the window from tickets_change_xid_number_idx, never by a sequential scan of the table (20261207050000)', async () => {
    const plan = await planOfWindow((await functionOf(db, 'change_feed_window')).config);
    expect(plan).toContain('tickets_change_xid_number_idx');
    expect(plan).not.toContain('Seq Scan on tickets');
    // without the function's settings the same statement would scan the table: what the bench saw
    expect(await planOfWindow([])).toContain('Seq Scan on tickets');
  });

  it('returns the window after the position, in order, at most n (the feed reads it through this function)', async () => {
    const { rows } = await db.query<{ number: string; change_xid: string }>(
      `SELECT number, change_xid::text FROM change_feed_window($1, $2::pg_snapshot, pg_current_snapshot(), NULL, $3, $4, 150)`,
      [xids[37], `${xids[37]}:${xids[37]}:`, xids[38], 'G5422026003850'],
    );
    // transaction 38 (numbers 3801–3900) after 3850, then transaction 39 (3901–4000): 50 + 100
    expect(rows.map((r) => r.number)).toEqual(Array.from({ length: 150 }, (_, i) => `G5422026${String(3851 + i).padStart(6, '0')}`));
    expect(rows[0].change_xid).toBe(xids[38]);
    const scoped = await db.query(`SELECT number FROM change_feed_window(0, NULL, pg_current_snapshot(), ARRAY['999'], NULL, NULL, 10)`);
    expect(scoped.rows).toEqual([]);
  });
});

// Issues 27 and 30 (R-W1): each ticket event asks, per enabled endpoint, whether it wants the message.
// outbound_webhook_matches must be inlined into the asking statement (migration 20261207060000): with
// the unit subtree's EXISTS in its body it never was, and each call ran as a statement of its own.
describe('R-W1 an endpoint match, inlined, with the same answers', () => {
  let url: string;
  let db: Client;
  beforeAll(async () => {
    url = await emptyDatabase();
    await migrate(url);
    db = new Client({ connectionString: url });
    await db.connect();
    // UID 51 → UP3 511 → ULPs 542, 543; UP3 521 → ULP 552
    await db.query(
      `INSERT INTO units (code, name, time_zone, level, parent_code, created_at, updated_at) VALUES
         ('51', 'UID 51', 'Asia/Jakarta', 'UID', NULL, now(), now()),
         ('511', 'UP3 511', 'Asia/Jakarta', 'UP3', '51', now(), now()),
         ('521', 'UP3 521', 'Asia/Jakarta', 'UP3', '51', now(), now()),
         ('542', 'ULP 542', 'Asia/Jakarta', 'ULP', '511', now(), now()),
         ('543', 'ULP 543', 'Asia/Jakarta', 'ULP', '511', now(), now()),
         ('552', 'ULP 552', 'Asia/Jakarta', 'ULP', '521', now(), now()),
         ('600', 'ULP 600', 'Asia/Jakarta', 'ULP', NULL, now(), now())`,
    );
  });
  afterAll(async () => {
    await db.end();
    await dropDatabase(process.env[ADMIN_ENV] as string, url);
  });

  it('is planned as an expression of its caller, not a call', async () => {
    const { rows } = await db.query(
      `EXPLAIN (VERBOSE) SELECT 1 FROM webhooks w WHERE w.enabled AND outbound_webhook_matches(w.event_types, w.unit_codes, $1, $2)`,
      ['ticket.created', '542'],
    );
    const plan = rows.map((r) => r['QUERY PLAN']).join('\n');
    expect(plan).toContain('= ANY (w.event_types)');
    expect(plan).not.toContain('outbound_webhook_matches(');
  });

  it.each([
    [['*'], [], 'ticket.created', '542', true],
    [['ticket.created'], [], 'ticket.created', '542', true],
    [['ticket.closed'], [], 'ticket.created', '542', false],
    [['ticket.closed', 'ticket.created'], ['542'], 'ticket.created', '542', true],
    [['*'], ['543'], 'ticket.created', '542', false],
    [['*'], ['511'], 'ticket.created', '542', true], // its UP3
    [['*'], ['51'], 'ticket.created', '552', true], // its UID, two levels up
    [['*'], ['521'], 'ticket.created', '542', false], // another UP3
    [['*'], ['521', '543', '511'], 'ticket.created', '542', true],
    [['*'], ['51'], 'ticket.created', '600', false], // a unit outside the tree
    [['escalation.created'], ['51'], 'ticket.created', '542', false],
  ])('types %j, units %j: %s in %s → %s', async (types, units, type, unit, expected) => {
    const { rows } = await db.query<{ m: boolean }>('SELECT outbound_webhook_matches($1::text[], $2::text[], $3, $4) AS m', [types, units, type, unit]);
    expect(rows[0].m).toBe(expected);
  });
});
