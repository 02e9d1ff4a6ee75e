import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { getDMMF } from '@prisma/internals';
import { Client } from 'pg';
import { localTimeText } from '../src/common/local-time';
import { OPEN } from '../src/tickets/rules/lifecycle.rule';
import { OPEN_STATUSES_SQL } from '../src/tickets/sql/open-statuses.sql';
import { TICKET_FIELDS } from '../src/tickets/sql/ticket-columns.sql';
import { ADMIN_ENV, dropDatabase, freshDatabase } from './support/database';

// Issue 14 point 15: facts written in more than one place are compared here, so they cannot drift
// apart: R-T4's OPEN statuses (rule, the jobs' SQL, the partial index), the ticket columns of the raw
// statements (TICKET_FIELDS) and the Prisma model, and R-T7's time text in TypeScript and in SQL.
describe('one source for facts written twice', () => {
  let url: string;
  let db: Client;
  beforeAll(async () => {
    url = await freshDatabase();
    db = new Client({ connectionString: url });
    await db.connect();
  });
  afterAll(async () => {
    await db.end();
    await dropDatabase(process.env[ADMIN_ENV] as string, url);
  });

  it('R-T4 the jobs\' open statuses are OPEN', () => {
    expect(OPEN_STATUSES_SQL.sql).toBe(`(${[...OPEN].map((s) => `'${s}'`).join(', ')})`);
  });

  it.each(['tickets_sla_due_idx', 'tickets_open_list_idx'])('R-T4 R-J3 R-H3 %s covers exactly the OPEN statuses', async (index) => {
    const { rows } = await db.query(`SELECT pg_get_expr(ix.indpred, ix.indrelid) AS predicate FROM pg_index ix JOIN pg_class i ON i.oid = ix.indexrelid WHERE i.relname = $1`, [index]);
    const statuses = [...(rows[0].predicate as string).matchAll(/'([A-Z_]+)'::"TicketStatus"/g)].map((m) => m[1]);
    expect(statuses.sort()).toEqual([...OPEN].sort());
  });

  it('TICKET_FIELDS names every column of the Ticket model under its field name, and nothing else', async () => {
    const dmmf = await getDMMF({ datamodel: readFileSync(join(__dirname, '..', 'prisma', 'schema.prisma'), 'utf8') });
    const ticket = dmmf.datamodel.models.find((m) => m.name === 'Ticket')!;
    const expected = ticket.fields.filter((f) => f.kind !== 'object').map((f) => `${f.dbName ?? f.name}=${f.name}`);
    expect(TICKET_FIELDS.map(([column, field]) => `${column}=${field}`).sort()).toEqual(expected.sort());
  });

  it.each([
    ['2026-11-30T02:14:00Z', 'Asia/Jakarta'],
    ['2026-11-30T17:00:00Z', 'Asia/Jakarta'],
    ['2026-11-30T02:14:00Z', 'Asia/Makassar'],
    ['2026-12-31T15:30:00Z', 'Asia/Jayapura'],
    ['2026-11-30T02:14:00Z', 'Asia/Kolkata'],
    ['2026-11-30T02:14:00Z', 'UTC'],
    ['2026-07-01T12:00:00Z', 'America/New_York'],
    ['2026-11-30T02:14:00Z', 'America/St_Johns'],
  ])('R-T7 local_time_text(%s, %s) in SQL is localTimeText', async (at, zone) => {
    const { rows } = await db.query('SELECT local_time_text($1::timestamptz, $2) AS text', [at, zone]);
    expect(rows[0].text).toBe(localTimeText(new Date(at), zone));
  });
});
