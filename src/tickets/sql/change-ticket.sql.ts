import type { QueryConfig } from 'pg';
import { Prisma, type Ticket } from '../../generated/prisma/client';
import { keyUnseen, storeAnswerFrom } from '../../http/idempotency.repository';
import type { NewEvent } from '../history';
import type { StatementAnswer } from '../ticket.types';
import { TICKET_COLUMNS, TICKET_FIELDS } from './ticket-columns.sql';

// A change to one ticket and its events in ONE statement (issue 30): the status move and the re-report
// each sent the update and the events as two ORM statements, the ORM a fifth of the service's CPU under
// load. Only plain data takes this path: a value for a column of the ticket, or an increment of a number;
// anything else (a relation, e.g. outage: { disconnect: true }) returns null and the ORM does it.

/** The SQL type of every ticket column a change may write (the parameter is cast to it). */
const TYPES: Partial<Record<keyof Ticket, string>> = {
  kind: '"TicketKind"', channel: '"Channel"', status: '"TicketStatus"', woType: '"WoType"', closeReason: '"CloseReason"',
  urgent: 'boolean', overSla: 'boolean', reReported: 'boolean',
  confirmationWindowMinutes: 'int', updateCount: 'int', repeatCount: 'int', jumlahLaporMelebihiSla: 'int', ratingScore: 'int', version: 'int',
  reportedAt: 'timestamptz', slaDeadline: 'timestamptz', autoTransferAt: 'timestamptz', resolvedAt: 'timestamptz', confirmationDeadline: 'timestamptz',
  closedAt: 'timestamptz', callbackAt: 'timestamptz', respondedAt: 'timestamptz', nyalaAt: 'timestamptz', slaBreachedAt: 'timestamptz',
  ratedAt: 'timestamptz', lastEventAt: 'timestamptz', createdAt: 'timestamptz', updatedAt: 'timestamptz', outageId: 'uuid',
};
const COLUMN = new Map<string, string>(TICKET_FIELDS.map(([column, field]) => [field, column]));
const TEXT_FIELDS = new Set(['customerName', 'customerPhone', 'customerIdPel', 'customerMeterNumber', 'customerAddress', 'customerProvince', 'problemType', 'subType',
  'description', 'unitAnswer', 'cancelReason', 'previousNumber', 'referenceNumber', 'transferredToNumber', 'transferredFromNumber', 'keterangan', 'successorNumber', 'ratingComment']);

const typeOf = (field: string): string | undefined => TYPES[field as keyof Ticket] ?? (TEXT_FIELDS.has(field) ? 'text' : undefined);
const isValue = (v: unknown) => v === null || v instanceof Date || ['string', 'number', 'boolean'].includes(typeof v);

/** The SET list of `data`, or null when some entry is not plain (a relation, an operation other than increment). */
function setList(data: Record<string, unknown>): Prisma.Sql | null {
  const sets: Prisma.Sql[] = [];
  for (const [field, value] of Object.entries(data)) {
    if (value === undefined) continue;
    const type = typeOf(field);
    const column = COLUMN.get(field);
    if (!type || !column) return null;
    const col = Prisma.raw(`"${column}"`);
    if (isValue(value)) {
      sets.push(Prisma.sql`${col} = ${value}::${Prisma.raw(type)}`);
      continue;
    }
    const operation = value as Record<string, unknown>;
    const keys = Object.keys(operation);
    if (type !== 'int' || keys.length !== 1 || keys[0] !== 'increment' || typeof operation.increment !== 'number') return null;
    sets.push(Prisma.sql`${col} = ${col} + ${operation.increment}::int`);
  }
  return sets.length ? Prisma.join(sets, ', ') : null;
}

/**
 * What makes a change a statement of its own, outside any transaction (issue 30: a status move and a
 * re-report in one round trip): the ticket is changed only while it is still at `version`, the version
 * its rules were checked against, so the statement does exactly what it would have done under the row
 * lock, or nothing (also when another transaction holds the ticket: it does not wait); and with `answer` (a deferred Idempotency-Key) only while the key was never seen,
 * the key stored with the answer in the same statement (as a create does, insert-ticket.sql.ts).
 */
export interface ChangeGuard {
  version: number;
  answer?: StatementAnswer & { now: Date; status: number; view: string; contentType: string; treatment?: string };
}

/**
 * The statement, or null when `data` has anything but plain values and increments. Its one row: { ticket }
 * as row_to_json wrote it; with `guard`, no row when the ticket is no longer at the guard's version, another
 * transaction holds it, or the key was seen (a concurrent request storing the same key first fails it on the key's primary key).
 */
export function changeTicketStatement(number: string, data: Record<string, unknown>, events: NewEvent[], guard?: ChangeGuard): Prisma.Sql | null {
  const sets = setList(data);
  if (!sets) return null;
  const rows = events.map(
    (e, i) => Prisma.sql`(${i}::int, ${e.type}::text, ${e.fromStatus ?? null}::"TicketStatus", ${e.toStatus ?? null}::"TicketStatus", ${e.note ?? null}::text,
      ${e.actor.sub}::text, ${e.actor.role}::text, ${e.actor.name ?? null}::text, ${e.occurredAt}::timestamptz, ${e.recordedAt}::timestamptz)`,
  );
  const insert = rows.length
    ? Prisma.sql`, e AS (
        INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, actor_name, occurred_at, recorded_at)
        SELECT t.number, v.type, v.from_status, v.to_status, v.note, v.sub, v.role, v.name, v.occurred_at, v.recorded_at
        FROM t, (VALUES ${Prisma.join(rows, ', ')}) AS v(i, type, from_status, to_status, note, sub, role, name, occurred_at, recorded_at)
        ORDER BY v.i)`
    : Prisma.empty;
  const answer = guard?.answer;
  // Guarded, the row is taken only if no one holds it (SKIP LOCKED): a change that would wait for another
  // is left to the locked path, which takes its time once it holds the ticket (issue 15), not before.
  const lock = guard
    ? Prisma.sql`l AS (SELECT number FROM tickets WHERE number = ${number} AND version = ${guard.version}::int${answer ? Prisma.sql` AND ${keyUnseen(answer.key)}` : Prisma.empty}
      FOR UPDATE SKIP LOCKED), `
    : Prisma.empty;
  const where = guard ? Prisma.sql`number = (SELECT number FROM l)` : Prisma.sql`number = ${number}`;
  const stored = answer
    ? Prisma.sql`, s AS (SELECT ${answer.treatment === undefined ? Prisma.sql`ticket` : Prisma.sql`json_build_object('treatment', ${answer.treatment}::text, 'ticket', ticket)`} AS answer FROM r),
      a AS (${storeAnswerFrom('s', 'answer', answer.key, answer.fingerprint, answer.now, answer.status, answer.contentType, answer.view)})`
    : Prisma.empty;
  return Prisma.sql`
    WITH ${lock}t AS (UPDATE tickets SET ${sets} WHERE ${where} RETURNING *)${insert},
    r AS (SELECT row_to_json(x) AS ticket FROM (SELECT ${TICKET_COLUMNS} FROM t) x)${stored}
    SELECT ticket FROM r`;
}

// The guarded statement's texts differ only by which columns a change sets and how many events it has:
// a handful, each a named prepared statement of its own (parsed once per connection), up to a bound.
const MAX_NAMES = 64;
const names = new Map<string, string>();

/** `statement` as a named prepared statement while fewer than MAX_NAMES texts have been seen, else unnamed. */
export function preparedChange(statement: Prisma.Sql): QueryConfig {
  const text = statement.text;
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `apkt_change_${names.size + 1}`;
    names.set(text, name);
  }
  return name === undefined ? { text, values: statement.values } : { name, text, values: statement.values };
}
