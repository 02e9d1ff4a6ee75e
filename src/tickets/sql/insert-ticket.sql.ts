import type { QueryConfig } from 'pg';
import { Prisma } from '../../generated/prisma/client';
import { keyUnseen, storeAnswerFrom } from '../../http/idempotency.repository';
import type { Actor } from '../history';
import { kindLetter } from '../rules/ticket-number.rule';
import type { StatementAnswer, TicketDraft } from '../ticket.types';
import { TICKET_COLUMNS } from './ticket-columns.sql';

// The answer a create stores with its statement: the ticket's row, rendered on replay exactly as
// Fastify serialised the first answer.
export const TICKET_VIEW = 'ticket';
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

/**
 * insertTicketStatement as a named prepared statement. Its text is the same for every draft
 * (prepared.spec.ts), so it takes this fixed name instead of prepared()'s map, which would hash its 3 KB
 * on every create (2% of a create's CPU); node-postgres would fail a query rather than run another text
 * under the name.
 */
export const INSERT_NAME = 'apkt_ticket_insert';
export const preparedInsert = (statement: Prisma.Sql): QueryConfig => ({ name: INSERT_NAME, text: statement.text, values: statement.values });

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
    WITH u AS (SELECT code, time_zone FROM units WHERE code = ${draft.unitCode} AND level = 'ULP'), -- R-H1: tickets belong to ULPs only
    p AS (
      SELECT sla_minutes, confirmation_window_minutes, auto_transfer_minutes, always_urgent FROM policies
      WHERE kind = ${draft.kind}::"TicketKind" AND (problem_type IS NULL OR problem_type = ${draft.problemType}::text)
        AND (sub_type IS NULL OR sub_type = ${draft.subType}::text)
      ORDER BY (sub_type IS NOT NULL)::int * 2 + (problem_type IS NOT NULL)::int DESC LIMIT 1),
    y AS (SELECT code, extract(year FROM ${draft.reportedAt}::timestamptz AT TIME ZONE time_zone)::int AS year FROM u),
    n AS (SELECT ${letter}::text || code || year::text || lpad(ticket_number_next(${letter}::text, code, year)::text, 6, '0') AS number FROM y
      WHERE ${keyUnseen(key)}),
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
      INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at,
        actor_name)
      SELECT number, 'CREATED', NULL, status, ${draft.eventNote ?? null}::text, ${actor.sub}::text, ${actor.role}::text,
        ${draft.reportedAt}::timestamptz, ${now}::timestamptz,
        ${actor.name ?? null}::text
      FROM t),
    r AS (SELECT row_to_json(x) AS ticket FROM (SELECT ${TICKET_COLUMNS} FROM t) x),
    a AS (${storeAnswerFrom('r', 'ticket', key, answer?.fingerprint ?? null, now, 201, JSON_CONTENT_TYPE, TICKET_VIEW)})
    SELECT ticket FROM r`;
}
