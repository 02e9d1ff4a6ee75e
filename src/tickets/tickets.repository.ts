import { Injectable } from '@nestjs/common';
import type { Pool } from 'pg';
import type { Tx } from '../database/prisma.service';
import { cancellable } from '../database/cancellable';
import { prepared } from '../database/prepared';
import { whereSql } from '../database/where-sql';
import { Prisma, type Ticket, type TicketEvent } from '../generated/prisma/client';
import type { Actor, NewEvent } from './history';
import { registerStoredView } from '../http/idempotency';
import { isKeyTaken } from '../http/idempotency.repository';
import { TicketErrorCode, TicketException } from './ticket.exception';
import { ticketView } from './ticket.view';
import { SEQUENCE_MAX } from './rules/ticket-number.rule';
import type { StatementAnswer, TicketDraft } from './ticket.types';
import { insertTicketStatement, preparedInsert, TICKET_VIEW } from './sql/insert-ticket.sql';
import { TICKET_COLUMNS, TICKET_FIELDS, ticketFromSnapshot } from './sql/ticket-columns.sql';
import { ALL_MARKER, UNIT_MARKER, UNITS_MARKER } from './sql/change-marker.sql';
import { changeTicketStatement, type ChangeGuard, preparedChange } from './sql/change-ticket.sql';
import { READ_FOR_CHANGE } from './sql/read-for-change.sql';

/** The sequence's own error, when a unit has used up the year's numbers, in the tickets' words. */
function numbersExhausted(draft: TicketDraft, error: unknown): unknown {
  if (!/maximum value|2200H/.test(String((error as Error).message))) return error;
  return new TicketException(TicketErrorCode.NUMBERS_EXHAUSTED, `All ${SEQUENCE_MAX} ${draft.kind} numbers of unit ${draft.unitCode} for this year are used`);
}

const DEADLOCK_DETECTED = '40P01';

const COLUMN_OF = new Map<string, string>(TICKET_FIELDS.map(([column, field]) => [field, column]));
const columnOf = (field: string) => COLUMN_OF.get(field);

interface Snapshot {
  ticket: unknown;
}
const fromSnapshot = (row: Snapshot) => ticketFromSnapshot(row.ticket);

// The answer a create stores with its statement (insert-ticket.sql.ts): the ticket's row, rendered on
// replay exactly as Fastify serialised the first answer.
registerStoredView(TICKET_VIEW, (data) => JSON.stringify(ticketView(ticketFromSnapshot(data))));

interface Marker {
  max_at: Date | null;
  n: number;
  v: string | null;
}
// The tickets tables; no rules here.
@Injectable()
export class TicketsRepository {
  /** Runs insertTicketStatement inside `tx`, with the other changes of that transaction; null when it inserted nothing. */
  async insertTicket(tx: Tx, draft: TicketDraft, actor: Actor, now: Date): Promise<Ticket | null> {
    try {
      return (await tx.$queryRaw<Snapshot[]>(insertTicketStatement(draft, actor, now))).map(fromSnapshot)[0] ?? null;
    } catch (error) {
      throw numbersExhausted(draft, error);
    }
  }

  /**
   * Runs insertTicketStatement on its own (it is atomic by itself) straight on the pool under Prisma:
   * the burst path of a plain create, where Prisma's per-statement work was a sixth of the CPU. Null when
   * it inserted nothing (the unit is not registered, or no policy matches).
   */
  async insertTicketAlone(pool: Pool, draft: TicketDraft, actor: Actor, now: Date): Promise<Ticket | null> {
    const statement = insertTicketStatement(draft, actor, now);
    try {
      return (await pool.query<Snapshot>(preparedInsert(statement))).rows.map(fromSnapshot)[0] ?? null;
    } catch (error) {
      throw numbersExhausted(draft, error);
    }
  }

  /**
   * insertTicketAlone that also stores `answer`'s key with the ticket as its answer, in the same statement.
   * Null when that wrote nothing: the key exists, a concurrent request inserted it first, or the unit is
   * not registered; the caller then holds the key the slow way and inserts inside its transaction.
   */
  async insertTicketAnswered(pool: Pool, draft: TicketDraft, actor: Actor, now: Date, answer: StatementAnswer): Promise<Ticket | null> {
    const statement = insertTicketStatement(draft, actor, now, answer);
    try {
      return (await pool.query<Snapshot>(preparedInsert(statement))).rows.map(fromSnapshot)[0] ?? null;
    } catch (error) {
      if (isKeyTaken(error)) return null;
      throw numbersExhausted(draft, error);
    }
  }

  /** The ticket, its row locked until the transaction ends (changes to one ticket are serialised). */
  async lock(tx: Tx, number: string): Promise<Ticket | null> {
    const rows = await tx.$queryRaw<Ticket[]>`SELECT ${TICKET_COLUMNS} FROM tickets WHERE number = ${number} FOR UPDATE`;
    return rows[0] ?? null;
  }

  find(tx: Tx, number: string): Promise<Ticket | null> {
    return tx.ticket.findUnique({ where: { number } });
  }

  async exists(tx: Tx, number: string): Promise<boolean> {
    return (await tx.ticket.findUnique({ where: { number }, select: { number: true } })) !== null;
  }

  /** The ticket made from `number` by a Lapor Ulang (its previousNumber), the first if several. */
  async firstSuccessor(tx: Tx, number: string): Promise<string | null> {
    return (await tx.ticket.findFirst({ where: { previousNumber: number }, orderBy: { createdAt: 'asc' }, select: { number: true } }))?.number ?? null;
  }

  /** The note of the ticket's CREATED event. */
  async createdNote(tx: Tx, number: string): Promise<string | null> {
    return (await tx.ticketEvent.findFirst({ where: { ticketNumber: number, type: 'CREATED' }, select: { note: true } }))?.note ?? null;
  }

  events(tx: Tx, number: string): Promise<TicketEvent[]> {
    return tx.ticketEvent.findMany({ where: { ticketNumber: number }, orderBy: { id: 'asc' } });
  }

  /**
   * The update and its events (R-T6) in one statement (sql/change-ticket.sql.ts) when `data` is plain
   * values and increments; else the ORM's update and createMany. The ticket as it now is.
   */
  async change(tx: Tx, number: string, data: Prisma.TicketUpdateInput, events: NewEvent[]): Promise<Ticket> {
    const statement = changeTicketStatement(number, data as Record<string, unknown>, events);
    if (!statement) {
      const updated = await this.update(tx, number, data);
      await this.recordEvents(tx, events);
      return updated;
    }
    const [row] = await tx.$queryRaw<Snapshot[]>(statement);
    if (!row) throw new TicketException(TicketErrorCode.NOT_FOUND, `Ticket ${number} not found`);
    return fromSnapshot(row);
  }

  /**
   * The ticket as committed, unlocked, and its unit's time zone, for a change made by changeAlone; null
   * when there is no such ticket.
   */
  async readForChange(pool: Pool, number: string): Promise<{ ticket: Ticket; timeZone: string | null } | null> {
    const [row] = (await pool.query<Snapshot & { time_zone: string | null }>(prepared(READ_FOR_CHANGE, [number]))).rows;
    return row ? { ticket: fromSnapshot(row), timeZone: row.time_zone } : null;
  }

  /**
   * The update and its events in one statement on its own, atomic by itself, guarded by `guard` (the
   * version read, the Idempotency-Key unseen: sql/change-ticket.sql.ts). The ticket as it now is, or null
   * when the statement changed nothing (the ticket moved on, the key was seen or stored meanwhile) or
   * `data` is not plain: the caller then takes the locked path.
   */
  async changeAlone(pool: Pool, number: string, data: Prisma.TicketUpdateInput, events: NewEvent[], guard: ChangeGuard): Promise<Ticket | null> {
    const statement = changeTicketStatement(number, data as Record<string, unknown>, events, guard);
    if (!statement) return null;
    try {
      return (await pool.query<Snapshot>(preparedChange(statement))).rows.map(fromSnapshot)[0] ?? null;
    } catch (error) {
      // a key stored first by a concurrent request; or a cycle of waits PostgreSQL broke by failing this
      // statement (one key on two tickets at once): the caller takes the locked path
      if (isKeyTaken(error) || (error as { code?: string }).code === DEADLOCK_DETECTED) return null;
      throw error;
    }
  }

  update(tx: Tx, number: string, data: Prisma.TicketUpdateInput): Promise<Ticket> {
    return tx.ticket.update({ where: { number }, data });
  }

  /** R-T6: the append-only events of a change, in the change's transaction. */
  async recordEvents(tx: Tx, events: NewEvent[]): Promise<void> {
    if (!events.length) return;
    await tx.ticketEvent.createMany({
      data: events.map((e) => ({
        ticketNumber: e.ticketNumber,
        type: e.type,
        fromStatus: e.fromStatus ?? null,
        toStatus: e.toStatus ?? null,
        note: e.note ?? null,
        actorSub: e.actor.sub,
        actorRole: e.actor.role,
        actorName: e.actor.name ?? null,
        occurredAt: e.occurredAt,
        recordedAt: e.recordedAt,
      })),
    });
  }

  /**
   * What the ETag of a list is made of: the newest change in the scope and the count and version sum of
   * the rows changed in the 10 s before it. One short index range, whatever the table's size; the window
   * catches a transaction that commits after a newer one with an older `updatedAt`. Cancelled when
   * `signal` aborts (ChangeMarkers: every request waiting for it has gone).
   */
  async changeMarker(pool: Pool, units: readonly string[] | null, signal?: AbortSignal): Promise<string> {
    const statement = units === null ? prepared(ALL_MARKER) : units.length === 1 ? prepared(UNIT_MARKER, [units[0]]) : prepared(UNITS_MARKER, [units]);
    const rows = await cancellable<Marker>(pool, statement, signal);
    return `${rows[0].max_at?.toISOString() ?? '-'}/${rows[0].n}/${rows[0].v ?? 0}`;
  }

  /** A page of the list (API.md "List"), oldest change first; cancelled when `signal` aborts (issue 14 point 18). */
  async page(pool: Pool, units: readonly string[] | null, where: Prisma.TicketWhereInput, take: number, signal?: AbortSignal): Promise<Ticket[]> {
    if (units?.length === 0) return [];
    return (await cancellable(pool, pageStatement(units, where, take), signal)).map(ticketFromSnapshot);
  }
}

/**
 * The statement of TicketsRepository.page, exported for its plan test (test/migrations.e2e.spec.ts).
 * `units`: the ULPs in scope (null: every unit, R-H2). For several (a UP3 or UID, R-H3), the page is
 * found in two phases: first only the keys (updated_at, number) of each ULP's first rows, each read from
 * its own ordered index range (for the open list tickets_open_list_idx, index-only), merged and cut to
 * the page; then the page's rows by primary key. So a UP3's page costs about one ULP's page plus `take`
 * key look-ups, not `take` whole rows read and sorted per ULP (issue 26, bench 19).
 */
export function pageStatement(units: readonly string[] | null, where: Prisma.TicketWhereInput, take: number): Prisma.Sql {
  const conditions = whereSql(where, columnOf);
  if (units === null) return Prisma.sql`SELECT ${TICKET_COLUMNS} FROM tickets WHERE ${conditions} ORDER BY updated_at, number LIMIT ${take}`;
  if (units.length === 1) return Prisma.sql`SELECT ${TICKET_COLUMNS} FROM tickets WHERE unit_code = ${units[0]} AND ${conditions} ORDER BY updated_at, number LIMIT ${take}`;
  return Prisma.sql`WITH keys AS (
      SELECT k.updated_at AS key_updated_at, k.number AS key_number FROM unnest(${[...units]}::text[]) AS s(scope_unit) CROSS JOIN LATERAL (
        SELECT updated_at, number FROM tickets WHERE unit_code = s.scope_unit AND ${conditions} ORDER BY updated_at, number LIMIT ${take}) k
      ORDER BY k.updated_at, k.number LIMIT ${take})
    SELECT ${TICKET_COLUMNS} FROM keys JOIN tickets ON tickets.number = keys.key_number ORDER BY key_updated_at, key_number`;
}
