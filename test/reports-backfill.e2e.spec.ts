import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { listMigrations, migrate, MIGRATIONS_DIR } from '../src/database/migrator';
import { ADMIN_ENV, dropDatabase, emptyDatabase, withClient } from './support/database';

// R-M1's back-fill: a database migrated up to the migration before 20261130050000_report_facts holds
// tickets and their history as the service wrote them before the facts existed (the fact columns
// null); applying the remaining migrations with the service's migrator fills the facts from the events.
const FACTS = '20261130050000_report_facts';
const D = (hhmm: string) => `2026-11-10T${hhmm}:00Z`;

interface OldTicket {
  number: string;
  kind: 'GANGGUAN' | 'KELUHAN';
  status: string;
  overSla: boolean;
  events: [type: string, from: string | null, to: string | null, occurredAt: string, recordedAt?: string][];
}

async function insertOld(c: Client, t: OldTicket): Promise<void> {
  await c.query(
    `INSERT INTO tickets (number, kind, unit_code, channel, status, problem_type, description, reported_at, sla_deadline, over_sla,
       confirmation_window_minutes, last_event_at, created_at, updated_at)
     VALUES ($1, $2, '542', 'CC123', $3, 'PADAM_1_RUMAH', 'x', $4, $5, $6, 1440, $4, $4, $4)`,
    [t.number, t.kind, t.status, D('01:00'), D('04:00'), t.overSla],
  );
  for (const [type, from, to, occurredAt, recordedAt] of t.events) {
    await c.query(
      `INSERT INTO ticket_events (ticket_number, type, from_status, to_status, actor_sub, actor_role, occurred_at, recorded_at)
       VALUES ($1, $2, $3, $4, 'old', 'unit', $5, $6)`,
      [t.number, type, from, to, occurredAt, recordedAt ?? occurredAt],
    );
  }
}

const OLD: OldTicket[] = [
  // responded 01:30, power back 03:00 (NYALA_SEMENTARA, not the later NYALA), left open before the deadline
  { number: 'G5422026000001', kind: 'GANGGUAN', status: 'DITUTUP', overSla: false, events: [
    ['CREATED', null, 'LAPOR', D('01:00')], ['STATUS_CHANGED', 'LAPOR', 'PENUGASAN', D('01:30')],
    ['STATUS_CHANGED', 'PENUGASAN', 'NYALA_SEMENTARA', D('03:00')], ['STATUS_CHANGED', 'NYALA_SEMENTARA', 'NYALA', D('03:10')],
    ['STATUS_CHANGED', 'NYALA', 'SELESAI', D('03:30')], ['CONFIRMED', 'SELESAI', 'DITUTUP', D('04:30')]] },
  // left open (SELESAI) at 05:00, after the 04:00 deadline, before R-J3 ran: breached; overSla already reset
  { number: 'G5422026000002', kind: 'GANGGUAN', status: 'SELESAI', overSla: false, events: [
    ['CREATED', null, 'LAPOR', D('01:00')], ['STATUS_CHANGED', 'LAPOR', 'PENUGASAN', D('02:00')],
    ['STATUS_CHANGED', 'PENUGASAN', 'SELESAI', D('05:00')]] },
  // still LAPOR, marked by R-J3
  { number: 'K5422026000003', kind: 'KELUHAN', status: 'LAPOR', overSla: true, events: [
    ['CREATED', null, 'LAPOR', D('01:00')], ['SLA_BREACHED', null, null, D('04:00')]] },
  // created (recorded) at 05:00 with reportedAt 01:00: over SLA from creation, done since
  { number: 'K5422026000004', kind: 'KELUHAN', status: 'SELESAI', overSla: false, events: [
    ['CREATED', null, 'LAPOR', D('01:00'), D('05:00')], ['STATUS_CHANGED', 'LAPOR', 'DIPROSES', D('05:10')],
    ['STATUS_CHANGED', 'DIPROSES', 'SELESAI', D('05:20')]] },
  // issue-closed at the contact centre: never in LAPOR
  { number: 'K5422026000005', kind: 'KELUHAN', status: 'ISSUE_CLOSED', overSla: false, events: [['CREATED', null, 'ISSUE_CLOSED', D('01:00')]] },
  // R-J2's transfer left LAPOR at 02:01
  { number: 'K5422026000006', kind: 'KELUHAN', status: 'BATAL', overSla: false, events: [
    ['CREATED', null, 'LAPOR', D('01:00')], ['AUTO_TRANSFERRED', 'LAPOR', 'BATAL', D('02:01')]] },
  // an update note and no move: nothing to fill
  { number: 'G5422026000007', kind: 'GANGGUAN', status: 'LAPOR', overSla: false, events: [
    ['CREATED', null, 'LAPOR', D('01:00')], ['UPDATE_LAPOR', null, null, D('02:00')]] },
];

describe('R-M1 back-fill of the stored facts by migration ' + FACTS, () => {
  let url: string;
  let dir: string;
  beforeAll(async () => {
    url = await emptyDatabase();
    dir = await mkdtemp(join(tmpdir(), 'apkt-old-migrations-'));
    for (const { name } of (await listMigrations()).filter((m) => m.name < FACTS)) {
      await cp(join(MIGRATIONS_DIR, name), join(dir, name), { recursive: true });
    }
    await migrate(url, dir);
    await withClient(url, async (c) => {
      await c.query(`INSERT INTO units (code, name, time_zone, created_at, updated_at) VALUES ('542', 'UP3 Bandung', 'Asia/Jakarta', now(), now())`);
      for (const t of OLD) await insertOld(c, t);
    });
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
    if (process.env[ADMIN_ENV]) await dropDatabase(process.env[ADMIN_ENV], url).catch(() => undefined);
  });

  it('fills respondedAt, nyalaAt and slaBreachedAt from the history', async () => {
    expect((await migrate(url)).applied).toContain(FACTS);
    const rows = await withClient(url, async (c) =>
      (await c.query(`SELECT number, responded_at, nyala_at, sla_breached_at FROM tickets ORDER BY number`)).rows.map((r) => ({
        number: r.number as string,
        respondedAt: (r.responded_at as Date | null)?.toISOString() ?? null,
        nyalaAt: (r.nyala_at as Date | null)?.toISOString() ?? null,
        slaBreachedAt: (r.sla_breached_at as Date | null)?.toISOString() ?? null,
      })),
    );
    const iso = (hhmm: string) => new Date(D(hhmm)).toISOString();
    expect(rows).toEqual([
      { number: 'G5422026000001', respondedAt: iso('01:30'), nyalaAt: iso('03:00'), slaBreachedAt: null },
      { number: 'G5422026000002', respondedAt: iso('02:00'), nyalaAt: null, slaBreachedAt: iso('04:00') },
      { number: 'G5422026000007', respondedAt: null, nyalaAt: null, slaBreachedAt: null },
      { number: 'K5422026000003', respondedAt: null, nyalaAt: null, slaBreachedAt: iso('04:00') },
      { number: 'K5422026000004', respondedAt: iso('05:10'), nyalaAt: null, slaBreachedAt: iso('04:00') },
      { number: 'K5422026000005', respondedAt: null, nyalaAt: null, slaBreachedAt: null },
      { number: 'K5422026000006', respondedAt: iso('02:01'), nyalaAt: null, slaBreachedAt: null },
    ]);
  });
});
