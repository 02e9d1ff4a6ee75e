import { Injectable } from '@nestjs/common';
import type { Reader } from '../database/read-router';
import { ItsmErrorCode, ItsmException } from './itsm.exception';
import { prepared } from '../database/prepared';
import { PrismaService, Tx } from '../database/prisma.service';
import { ItsmCallType, ItsmStatus, Prisma } from '../generated/prisma/client';
import type { ItsmFilter } from './itsm.query';
import { ItsmReferenceRow, WITH_CHILDREN } from './itsm.view';

export interface CustomerKey {
  idPel: string | null;
  phone: string;
}

export interface NewReference {
  itsmTicketId: string;
  callType: ItsmCallType;
  category: string;
  email: string;
  customer: { name: string; phone: string; idPel: string | null };
  previousItsmTicketId: string | null;
  now: Date;
}

/** R-P2…R-P4: what a reference holds of its customer. */
export interface HeldReference {
  id: string;
  name: string;
  phone: string;
  idPel: string | null;
  email: string;
}

export interface LockedReference {
  id: string;
  status: ItsmStatus;
  itsmTicketId: string;
}

const REFERENCES_OF_CUSTOMER = `SELECT id FROM itsm_references
  WHERE id IN (SELECT reference_id FROM itsm_reference_tickets WHERE ticket_number = ANY($1::text[])) OR customer_id_pel = ANY($2::text[])
  ORDER BY created_at DESC, id DESC LIMIT $3`;

// A customer is their ID Pel, else their phone (API.md "Create").
const sameCustomer = (who: CustomerKey) => (who.idPel ? Prisma.sql`r.customer_id_pel = ${who.idPel}` : Prisma.sql`r.customer_phone = ${who.phone}`);

@Injectable()
export class ItsmRepository {
  constructor(private readonly prisma: PrismaService) {}

  /**
   * Serialises the reports of one customer and category until `tx` ends, so that two simultaneous
   * forwards of one problem make one reference. A transaction-scoped advisory lock also covers the case
   * where no row exists yet to lock.
   */
  async lockCustomerCategory(tx: Tx, who: CustomerKey, category: string): Promise<void> {
    const key = `itsm|${who.idPel ? `idPel:${who.idPel}` : `phone:${who.phone}`}|${category}`;
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`;
  }

  /** The customer's reference of that category to report on, locked: an open one if any, else the latest. */
  async lockForReport(tx: Tx, who: CustomerKey, category: string): Promise<LockedReference | undefined> {
    const [row] = await tx.$queryRaw<LockedReference[]>`
      SELECT r.id, r.status::text AS status, r.itsm_ticket_id AS "itsmTicketId"
      FROM itsm_references r
      WHERE ${sameCustomer(who)} AND r.category = ${category}
      ORDER BY (r.status IN ('RESOLVED', 'CLOSED')), r.created_at DESC, r.id DESC
      LIMIT 1
      FOR UPDATE`;
    return row;
  }

  /** The reference, locked until `tx` ends, so that a change and the R-J5 sweep never both act on it. */
  async lock(tx: Tx, id: string): Promise<(LockedReference & { closedByJob: boolean }) | undefined> {
    const [row] = await tx.$queryRaw<(LockedReference & { closedByJob: boolean })[]>`
      SELECT r.id, r.status::text AS status, r.itsm_ticket_id AS "itsmTicketId", r.closed_by_job AS "closedByJob"
      FROM itsm_references r WHERE r.id = ${id}::uuid FOR UPDATE`;
    return row;
  }

  async insert(tx: Tx, data: NewReference): Promise<string> {
    try {
      const row = await tx.itsmReference.create({
        data: {
          itsmTicketId: data.itsmTicketId,
          callType: data.callType,
          category: data.category,
          status: ItsmStatus.LOGGED,
          email: data.email,
          customerName: data.customer.name,
          customerPhone: data.customer.phone,
          customerIdPel: data.customer.idPel,
          previousItsmTicketId: data.previousItsmTicketId,
          statusChangedAt: data.now,
          createdAt: data.now,
          updatedAt: data.now,
        },
        select: { id: true },
      });
      return row.id;
    } catch (error) {
      // the ITSM ticket id belongs to another reference already (its unique index)
      if (error instanceof Prisma.PrismaClientKnownRequestError && error.code === 'P2002') throw itsmTicketTaken(data.itsmTicketId);
      throw error;
    }
  }

  async addNote(tx: Tx, id: string, note: string, by: string, now: Date): Promise<void> {
    await tx.itsmReferenceNote.create({ data: { referenceId: id, note, writtenBy: by, writtenAt: now } });
    await tx.itsmReference.update({ where: { id }, data: { updatedAt: now } });
  }

  async linkTicket(tx: Tx, id: string, ticketNumber: string, now: Date): Promise<void> {
    await tx.itsmReferenceTicket.create({ data: { referenceId: id, ticketNumber, linkedAt: now } });
    await tx.itsmReference.update({ where: { id }, data: { updatedAt: now } });
  }

  async setStatus(tx: Tx, id: string, status: ItsmStatus, now: Date): Promise<void> {
    await tx.itsmReference.update({ where: { id }, data: { status, closedByJob: false, statusChangedAt: now, updatedAt: now } });
  }

  find(client: Tx | PrismaService, id: string): Promise<ItsmReferenceRow | null> {
    return client.itsmReference.findUnique({ where: { id }, include: WITH_CHILDREN });
  }

  /** Oldest first by createdAt then id; `after` is the keyset of the previous page's last item. */
  page(filter: ItsmFilter): Promise<ItsmReferenceRow[]> {
    const { after } = filter;
    return this.prisma.itsmReference.findMany({
      where: {
        ...(filter.statuses ? { status: { in: filter.statuses } } : {}),
        ...(filter.idPel ? { customerIdPel: filter.idPel } : {}),
        ...(filter.phone ? { customerPhone: filter.phone } : {}),
        ...(after ? { OR: [{ createdAt: { gt: after.createdAt } }, { createdAt: after.createdAt, id: { gt: after.id } }] } : {}),
      },
      orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      include: WITH_CHILDREN,
      take: filter.limit,
    });
  }

  // R-J5 in one statement over itsm_references_waiting_due_idx: SKIP LOCKED lets replicas sweeping at
  // once split the due rows, and the note is written by the same statement as the close.
  /** R-J5's oldest reference left waiting since `cutoff` or before, not closed yet (the job-lag gauge). */
  async oldestWaitingSince(cutoff: Date): Promise<Date | null> {
    const [row] = await this.prisma.$queryRaw<{ since: Date | null }[]>`
      SELECT min(status_changed_at) AS since FROM itsm_references WHERE status = 'WAITING_FOR_CUSTOMER' AND status_changed_at <= ${cutoff}`;
    return row.since;
  }

  async closeWaiting(cutoff: Date, now: Date, note: string, batch: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>`
      WITH due AS (
        SELECT id, status_changed_at FROM itsm_references
        WHERE status = 'WAITING_FOR_CUSTOMER' AND status_changed_at <= ${cutoff}
        ORDER BY status_changed_at LIMIT ${batch}::int
        FOR UPDATE SKIP LOCKED),
      closed AS (
        UPDATE itsm_references r SET status = 'CLOSED', closed_by_job = true, status_changed_at = ${now}, updated_at = ${now}
        FROM due WHERE r.id = due.id
        RETURNING r.id, due.status_changed_at AS since),
      notes AS (
        INSERT INTO itsm_reference_notes (reference_id, note, written_by, written_at)
        SELECT id, ${note} || to_char(since AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), 'system', ${now}
        FROM closed RETURNING 1)
      SELECT count(*)::int AS n FROM notes`;
    return row.n;
  }

  /** R-L1: the references linked to these tickets or made for these ID Pel, newest first. */
  async ofCustomer(ticketNumbers: string[], idPels: string[], limit: number, db?: Reader): Promise<ItsmReferenceRow[]> {
    // A customer lookup asks on every call and most customers have no reference: one prepared statement
    // on the pool says whether there is any, the ORM reads them with their notes and tickets only then.
    const { rows } = await (db?.pool ?? this.prisma.pool).query<{ id: string }>(prepared(REFERENCES_OF_CUSTOMER, [ticketNumbers, idPels, limit]));
    if (!rows.length) return [];
    return (db?.prisma ?? this.prisma).itsmReference.findMany({
      where: { id: { in: rows.map((r) => r.id) } },
      include: WITH_CHILDREN,
      orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      take: limit,
    });
  }

  /**
   * R-P2…R-P4: the references of a customer — linked to one of `numbers`, or (`idPels`, `phoneKeys`, when
   * given) naming that ID Pel or phone in any written form — not yet erased, locked; `onlyDone`: RESOLVED or CLOSED only.
   */
  heldReferences(tx: Tx, who: { numbers: string[]; idPels: string[]; phoneKeys: string[]; onlyDone: boolean }): Promise<HeldReference[]> {
    // each way in is its own indexed lookup (the retention job's batches only ever take the first), except
    // a phone in another written form, which only an admin's erasure by phone asks for
    const byIdPel = who.idPels.length ? Prisma.sql`UNION SELECT id FROM itsm_references WHERE customer_id_pel = ANY(${who.idPels}::text[])` : Prisma.empty;
    const byPhone = who.phoneKeys.length ? Prisma.sql`UNION SELECT id FROM itsm_references WHERE apkt_phone_key(customer_phone) = ANY(${who.phoneKeys}::text[])` : Prisma.empty;
    return tx.$queryRaw<HeldReference[]>`
      SELECT id, customer_name AS name, customer_phone AS phone, customer_id_pel AS "idPel", email FROM itsm_references
      WHERE id IN (SELECT reference_id FROM itsm_reference_tickets WHERE ticket_number = ANY(${who.numbers}::text[]) ${byIdPel} ${byPhone})
        AND customer_phone <> '[dihapus]'
        AND (NOT ${who.onlyDone}::boolean OR status IN ('RESOLVED', 'CLOSED'))
      ORDER BY id FOR UPDATE`;
  }

  /** R-P3, R-P4: the references lose the customer's name, phone, ID Pel and e-mail; their notes are scrubbed with each pattern. */
  async erasePersonalData(tx: Tx, ids: string[], patterns: (string | null)[], now: Date): Promise<number> {
    const references = await tx.$executeRaw`
      UPDATE itsm_references SET customer_name = '[dihapus]', customer_phone = '[dihapus]', customer_id_pel = NULL, email = '[dihapus]', updated_at = ${now}
      WHERE id = ANY(${ids}::uuid[])`;
    const notes = await tx.$executeRaw`
      UPDATE itsm_reference_notes n SET note = regexp_replace(n.note, e.pattern, '[dihapus]', 'gi')
      FROM unnest(${ids}::uuid[], ${patterns}::text[]) AS e(id, pattern)
      WHERE n.reference_id = e.id AND e.pattern IS NOT NULL AND n.note ~* e.pattern`;
    return references + notes;
  }
}

const itsmTicketTaken = (itsmTicketId: string) =>
  new ItsmException(ItsmErrorCode.ITSM_TICKET_TAKEN, `ITSM ticket ${itsmTicketId} is already the reference of another report: one ITSM ticket per problem (R-A2)`);
