import { Injectable } from '@nestjs/common';
import type { Pool, QueryConfig } from 'pg';
import type { Tx } from '../database/prisma.service';
import { cancellable } from '../database/cancellable';
import { prepared } from '../database/prepared';
import { whereSql } from '../database/where-sql';
import { Prisma, type Ticket } from '../generated/prisma/client';
import type { TicketDraft } from './tickets.service';
import type { Actor } from './history';
import { Problem, ProblemCode } from '../http/problem';
import { registerStoredView } from '../http/idempotency';
import { ticketView } from './ticket.view';
import { kindLetter, SEQUENCE_MAX } from './rules/ticket-number.rule';

/** The sequence's own error, when a unit has used up the year's numbers, as the API's problem. */
function numbersExhausted(draft: TicketDraft, error: unknown): unknown {
  if (!/maximum value|2200H/.test(String((error as Error).message))) return error;
  return new Problem(ProblemCode.NUMBER_EXHAUSTED, `All ${SEQUENCE_MAX} ${draft.kind} numbers of unit ${draft.unitCode} for this year are used`);
}

// Ticket columns under the Prisma model's field names, for raw statements that return whole tickets.
export const TICKET_FIELDS: [column: string, field: keyof Ticket][] = [
  ['number', 'number'], ['kind', 'kind'], ['unit_code', 'unitCode'], ['channel', 'channel'], ['status', 'status'],
  ['customer_name', 'customerName'], ['customer_phone', 'customerPhone'], ['customer_id_pel', 'customerIdPel'],
  ['customer_meter_number', 'customerMeterNumber'], ['customer_address', 'customerAddress'], ['customer_province', 'customerProvince'],
  ['problem_type', 'problemType'], ['sub_type', 'subType'], ['wo_type', 'woType'], ['description', 'description'], ['urgent', 'urgent'],
  ['reported_at', 'reportedAt'], ['sla_deadline', 'slaDeadline'], ['over_sla', 'overSla'],
  ['confirmation_window_minutes', 'confirmationWindowMinutes'], ['auto_transfer_at', 'autoTransferAt'], ['resolved_at', 'resolvedAt'],
  ['unit_answer', 'unitAnswer'], ['confirmation_deadline', 'confirmationDeadline'], ['closed_at', 'closedAt'], ['close_reason', 'closeReason'],
  ['cancel_reason', 'cancelReason'], ['update_count', 'updateCount'], ['repeat_count', 'repeatCount'],
  ['jumlah_lapor_melebihi_sla', 'jumlahLaporMelebihiSla'], ['re_reported', 'reReported'], ['previous_number', 'previousNumber'],
  ['reference_number', 'referenceNumber'], ['callback_at', 'callbackAt'], ['transferred_to_number', 'transferredToNumber'],
  ['transferred_from_number', 'transferredFromNumber'], ['keterangan', 'keterangan'], ['successor_number', 'successorNumber'],
  ['responded_at', 'respondedAt'], ['nyala_at', 'nyalaAt'], ['sla_breached_at', 'slaBreachedAt'], ['outage_id', 'outageId'],
  ['rating_score', 'ratingScore'], ['rating_comment', 'ratingComment'], ['rated_at', 'ratedAt'], ['last_event_at', 'lastEventAt'], ['version', 'version'],
  ['created_at', 'createdAt'], ['updated_at', 'updatedAt'], ['customer_phone_key', 'customerPhoneKey'], ['customer_name_key', 'customerNameKey'], ['change_xid', 'changeXid'],
];
const COLUMN_OF = new Map<string, string>(TICKET_FIELDS.map(([column, field]) => [field, column]));
const columnOf = (field: string) => COLUMN_OF.get(field);
export const TICKET_COLUMNS = Prisma.raw(TICKET_FIELDS.map(([column, field]) => `"${column}" AS "${field}"`).join(', '));
const DATE_FIELDS = new Set<keyof Ticket>(['reportedAt', 'slaDeadline', 'autoTransferAt', 'resolvedAt', 'confirmationDeadline', 'closedAt', 'callbackAt', 'respondedAt', 'nyalaAt', 'slaBreachedAt', 'ratedAt', 'lastEventAt', 'createdAt', 'updatedAt']);

/** A ticket row as row_to_json wrote it over TICKET_COLUMNS, as pg would have returned it. */
export function ticketFromSnapshot(data: unknown): Ticket {
  const ticket = { ...(data as Record<string, unknown>) };
  for (const field of DATE_FIELDS) if (typeof ticket[field] === 'string') ticket[field] = new Date(ticket[field]);
  if (typeof ticket.changeXid === 'number' || typeof ticket.changeXid === 'string') ticket.changeXid = BigInt(ticket.changeXid); // R-F1, as Prisma reads it
  return ticket as unknown as Ticket;
}

interface Snapshot {
  ticket: unknown;
}
const fromSnapshot = (row: Snapshot) => ticketFromSnapshot(row.ticket);

// The answer a create stores with its statement: the ticket's row, rendered on replay exactly as
// Fastify serialised the first answer.
const TICKET_VIEW = 'ticket';
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';
registerStoredView(TICKET_VIEW, (data) => JSON.stringify(ticketView(ticketFromSnapshot(data))));

/**
 * insertTicketStatement as a named prepared statement. Its text is the same for every draft
 * (prepared.spec.ts), so it takes this fixed name instead of prepared()'s map, which would hash its 3 KB
 * on every create (2% of a create's CPU); node-postgres would fail a query rather than run another text
 * under the name.
 */
export const INSERT_NAME = 'apkt_ticket_insert';
export const preparedInsert = (statement: Prisma.Sql): QueryConfig => ({ name: INSERT_NAME, text: statement.text, values: statement.values });

/** A deferred Idempotency-Key (src/http/idempotency.ts) that a create stores with its answer. */
export interface StatementAnswer {
  key: string;
  fingerprint: string;
}

export interface InsertedTicket {
  ticket: Ticket | null;
  /** false when the unit is not registered (the statement then inserts nothing) */
  unitKnown: boolean;
}

/**
 * Creates a ticket and its CREATED event in ONE statement (R-T2, R-S1…R-S3, R-C1, R-J2, R-T6, R-M1's
 * slaBreachedAt when the deadline has already passed): the
 * unit's time zone gives the number's year, the most specific policy (the SQL form of
 * resolvePolicy in sla/policy.rules.ts: a matching subType outranks a matching problemType) gives the
 * SLA, window and auto-transfer times, and the sequence gives the number. One round trip, so a burst of
 * creates costs the database what it must and the service little; atomic on its own or inside `tx`.
 *
 * The ticket comes back as one JSON column (ticketFromSnapshot reads it): cheaper for pg to parse than
 * forty typed columns, and the very data an idempotent replay renders.
 *
 * With `answer` (a deferred Idempotency-Key, src/http/idempotency.ts) the same statement also stores the
 * key with the answer (the new ticket's row, rendered by ticketView on replay), but only if the key has
 * never been seen: when it exists, nothing is written (not even a number is drawn) and no row comes back;
 * when a concurrent request inserts it first, the key's unique index fails this statement as a whole.
 */
export function insertTicketStatement(draft: TicketDraft, actor: Actor, now: Date, answer?: StatementAnswer): Prisma.Sql {
  const letter = kindLetter(draft.kind);
  const open = draft.status !== 'ISSUE_CLOSED';
  const c = draft.customer;
  const key = answer?.key ?? null;
  return Prisma.sql`
    WITH u AS (SELECT code, time_zone FROM units WHERE code = ${draft.unitCode}),
    p AS (
      SELECT sla_minutes, confirmation_window_minutes, auto_transfer_minutes, always_urgent FROM policies
      WHERE kind = ${draft.kind}::"TicketKind" AND (problem_type IS NULL OR problem_type = ${draft.problemType}::text)
        AND (sub_type IS NULL OR sub_type = ${draft.subType}::text)
      ORDER BY (sub_type IS NOT NULL)::int * 2 + (problem_type IS NOT NULL)::int DESC LIMIT 1),
    y AS (SELECT code, extract(year FROM ${draft.reportedAt}::timestamptz AT TIME ZONE time_zone)::int AS year FROM u),
    n AS (SELECT ${letter}::text || code || year::text || lpad(ticket_number_next(${letter}::text, code, year)::text, 6, '0') AS number FROM y
      WHERE NOT EXISTS (SELECT 1 FROM idempotency_keys WHERE key = ${key}::text)),
    t AS (
      INSERT INTO tickets (number, kind, unit_code, channel, status, customer_name, customer_phone, customer_id_pel,
        customer_meter_number, customer_address, customer_province, problem_type, sub_type, wo_type, description, urgent,
        reported_at, sla_deadline, over_sla, sla_breached_at, confirmation_window_minutes, auto_transfer_at, closed_at,
        previous_number, reference_number, callback_at, transferred_from_number, keterangan, last_event_at, version, created_at, updated_at)
      SELECT n.number, ${draft.kind}::"TicketKind", ${draft.unitCode}::text, ${draft.channel}::"Channel", ${draft.status}::"TicketStatus",
        ${c.name ?? null}::text, ${c.phone ?? null}::text, ${c.idPel ?? null}::text, ${c.meterNumber ?? null}::text,
        ${c.address ?? null}::text, ${c.province ?? null}::text, ${draft.problemType}::text, ${draft.subType}::text,
        ${draft.woType}::"WoType", ${draft.description}::text, ${draft.urgent}::boolean OR p.always_urgent,
        ${draft.reportedAt}::timestamptz, ${draft.reportedAt}::timestamptz + make_interval(mins => p.sla_minutes),
        ${open}::boolean AND ${draft.reportedAt}::timestamptz + make_interval(mins => p.sla_minutes) <= ${now}::timestamptz,
        CASE WHEN ${open}::boolean AND ${draft.reportedAt}::timestamptz + make_interval(mins => p.sla_minutes) <= ${now}::timestamptz
             THEN ${draft.reportedAt}::timestamptz + make_interval(mins => p.sla_minutes) END,
        p.confirmation_window_minutes,
        CASE WHEN ${open && draft.kind === 'KELUHAN'}::boolean AND p.auto_transfer_minutes IS NOT NULL
             THEN ${draft.reportedAt}::timestamptz + make_interval(mins => p.auto_transfer_minutes) END,
        CASE WHEN ${open}::boolean THEN NULL ELSE ${now}::timestamptz END,
        ${draft.previousNumber ?? null}::text, ${draft.referenceNumber ?? null}::text, ${draft.callbackAt ?? null}::timestamptz,
        ${draft.transferredFromNumber ?? null}::text, ${draft.keterangan ?? null}::text, ${draft.reportedAt}::timestamptz, 1, ${now}::timestamptz, ${now}::timestamptz
      FROM n, p
      RETURNING *),
    e AS (
      INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
      SELECT number, 'CREATED', NULL, status, ${draft.eventNote ?? null}::text, ${actor.sub}::text, ${actor.role}::text,
        ${draft.reportedAt}::timestamptz, ${now}::timestamptz
      FROM t),
    r AS (SELECT row_to_json(x) AS ticket FROM (SELECT ${TICKET_COLUMNS} FROM t) x),
    a AS (
      INSERT INTO idempotency_keys (key, fingerprint, locked_until, created_at, status_code, response_body)
      SELECT ${key}::text, ${answer?.fingerprint ?? null}::text, ${now}::timestamptz, ${now}::timestamptz, 201,
        json_build_object('contentType', ${JSON_CONTENT_TYPE}::text, 'view', ${TICKET_VIEW}::text, 'data', ticket)::text
      FROM r WHERE ${key}::text IS NOT NULL)
    SELECT ticket FROM r`;
}

interface Marker {
  max_at: Date | null;
  n: number;
  v: string | null;
}
const UNIT_MARKER = `SELECT max(updated_at) AS max_at, count(*)::int AS n, sum(version)::text AS v FROM tickets
  WHERE unit_code = $1 AND updated_at >= (SELECT max(updated_at) FROM tickets WHERE unit_code = $1) - interval '10 seconds'`;
const ALL_MARKER = `SELECT max(updated_at) AS max_at, count(*)::int AS n, sum(version)::text AS v FROM tickets
  WHERE updated_at >= (SELECT max(updated_at) FROM tickets) - interval '10 seconds'`;

// The tickets tables; no rules here.
@Injectable()
export class TicketsRepository {
  /** Runs insertTicketStatement inside `tx`, with the other changes of that transaction. */
  insertTicket(tx: Tx, draft: TicketDraft, actor: Actor, now: Date): Promise<InsertedTicket> {
    return this.inserted(draft, async () => (await tx.$queryRaw<Snapshot[]>(insertTicketStatement(draft, actor, now))).map(fromSnapshot), tx);
  }

  /**
   * Runs insertTicketStatement on its own (it is atomic by itself) straight on the pool under Prisma:
   * the burst path of a plain create, where Prisma's per-statement work was a sixth of the CPU.
   */
  async insertTicketAlone(pool: Pool, tx: Tx, draft: TicketDraft, actor: Actor, now: Date): Promise<InsertedTicket> {
    const statement = insertTicketStatement(draft, actor, now);
    return this.inserted(draft, async () => (await pool.query<Snapshot>(preparedInsert(statement))).rows.map(fromSnapshot), tx);
  }

  /**
   * insertTicketAlone that also stores `answer`'s key with the ticket as its answer, in the same statement.
   * Null when that wrote nothing: the key exists, a concurrent request inserted it first, or the unit is
   * not registered; the caller then holds the key the slow way and tries insertTicketAlone.
   */
  async insertTicketAnswered(pool: Pool, draft: TicketDraft, actor: Actor, now: Date, answer: StatementAnswer): Promise<Ticket | null> {
    const statement = insertTicketStatement(draft, actor, now, answer);
    try {
      return (await pool.query<Snapshot>(preparedInsert(statement))).rows.map(fromSnapshot)[0] ?? null;
    } catch (error) {
      const { code, constraint } = error as { code?: string; constraint?: string };
      if (code === '23505' && constraint === 'idempotency_keys_pkey') return null;
      throw numbersExhausted(draft, error);
    }
  }

  private async inserted(draft: TicketDraft, run: () => Promise<Ticket[]>, tx: Tx): Promise<InsertedTicket> {
    try {
      const rows = await run();
      if (rows.length) return { ticket: rows[0], unitKnown: true };
      return { ticket: null, unitKnown: (await tx.unit.count({ where: { code: draft.unitCode } })) > 0 };
    } catch (error) {
      throw numbersExhausted(draft, error);
    }
  }

  /** The ticket, its row locked until the transaction ends (changes to one ticket are serialised). */
  async lock(tx: Tx, number: string): Promise<Ticket | null> {
    const rows = await tx.$queryRaw<Ticket[]>`SELECT ${TICKET_COLUMNS} FROM tickets WHERE number = ${number} FOR UPDATE`;
    return rows[0] ?? null;
  }

  /** R-J2: Keluhan due for auto-transfer, locked for this batch; rows another replica holds are skipped. */
  claimDueTransfers(tx: Tx, now: Date, batch: number): Promise<Ticket[]> {
    return tx.$queryRaw<Ticket[]>`
      SELECT ${TICKET_COLUMNS} FROM tickets
      WHERE status = 'LAPOR' AND auto_transfer_at IS NOT NULL AND auto_transfer_at < ${now}
      ORDER BY auto_transfer_at LIMIT ${batch}
      FOR UPDATE SKIP LOCKED`;
  }

  /**
   * What the ETag of a list is made of: the newest change in the scope and the count and version sum of
   * the rows changed in the 10 s before it. One short index range, whatever the table's size; the window
   * catches a transaction that commits after a newer one with an older `updatedAt`.
   */
  async changeMarker(pool: Pool, unitCode: string | undefined): Promise<string> {
    const { rows } = await pool.query<Marker>(unitCode ? prepared(UNIT_MARKER, [unitCode]) : prepared(ALL_MARKER));
    return `${rows[0].max_at?.toISOString() ?? '-'}/${rows[0].n}/${rows[0].v ?? 0}`;
  }

  /** A page of the list (API.md "List"), oldest change first; cancelled when `signal` aborts (issue 14 point 18). */
  async page(pool: Pool, where: Prisma.TicketWhereInput, take: number, signal?: AbortSignal): Promise<Ticket[]> {
    const statement = Prisma.sql`SELECT ${TICKET_COLUMNS} FROM tickets WHERE ${whereSql(where, columnOf)} ORDER BY updated_at, number LIMIT ${take}`;
    return (await cancellable(pool, statement, signal)).map(ticketFromSnapshot);
  }
}
