import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';

/** One row of the access log (R-P1): the arrays are aligned, one element per ticket or customer shown. */
export interface AccessRow {
  at: Date;
  sub: string;
  role: string;
  endpoint: string;
  requestId: string;
  ticketNumbers: (string | null)[];
  idPels: (string | null)[];
  phones: (string | null)[];
}

export interface AccessEntry {
  id: string;
  at: Date;
  sub: string;
  role: string;
  endpoint: string;
  requestId: string;
  ticketNumbers: string[];
}

/** Who is asked about: a customer (with their tickets' numbers, found now) or a person. */
export type AccessSubject = { idPel: string; numbers: string[] } | { phoneKey: string; numbers: string[] } | { sub: string };

export interface AccessQuery {
  who: AccessSubject;
  from: Date | null;
  to: Date | null;
  before: { at: Date; id: string } | null;
  limit: number;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

// The access log's table and its day partitions (migration 20261204040000_personal_data); no rules here.
@Injectable()
export class AccessLogRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** One multi-row INSERT for a whole buffer (jsonb_to_recordset turns JSON arrays into text[]). */
  async insert(rows: AccessRow[]): Promise<void> {
    const json = JSON.stringify(
      rows.map((r) => ({ at: r.at.toISOString(), sub: r.sub, role: r.role, endpoint: r.endpoint, request_id: r.requestId, ticket_numbers: r.ticketNumbers, id_pels: r.idPels, phones: r.phones })),
    );
    await this.prisma.$executeRaw`
      INSERT INTO personal_data_access_log (at, sub, role, endpoint, request_id, ticket_numbers, id_pels, phones)
      SELECT at, sub, role, endpoint, request_id, ticket_numbers, id_pels, phones
      FROM jsonb_to_recordset(${json}::jsonb) AS x(at timestamptz, sub text, role text, endpoint text, request_id text, ticket_numbers text[], id_pels text[], phones text[])`;
  }

  /**
   * R-P1 across an erasure (R-P3): before a ticket's customer is erased from it, each access row that
   * showed the ticket without its customer (its events, an order, an escalation, a look-up's list) is
   * given the customer's ID Pel and phone at the ticket's place, so "who saw this customer" still finds it
   * afterwards. The log is the record of processing the law asks for: it keeps them until it expires
   * (PERSONAL_DATA_ACCESS_LOG_DAYS), not past it. Only empty places are filled. How many rows changed.
   * It probes every day partition's `ticket_numbers` index: 0.4 s for a customer's few tickets against a
   * year of log (1.8 M rows, 366 partitions), so the R-P4 job's batches of 2,000 do not call it.
   */
  async attribute(tx: Tx, tickets: { number: string; idPel: string | null; phoneKey: string | null }[]): Promise<number> {
    const known = tickets.filter((t) => t.idPel !== null || t.phoneKey !== null);
    if (!known.length) return 0;
    return tx.$executeRaw`
      WITH e AS (SELECT * FROM unnest(${known.map((t) => t.number)}::text[], ${known.map((t) => t.idPel)}::text[], ${known.map((t) => t.phoneKey)}::text[]) AS e(number, id_pel, phone))
      UPDATE personal_data_access_log l SET
        id_pels = ARRAY(SELECT coalesce(u.i, e.id_pel) FROM unnest(l.ticket_numbers, l.id_pels) WITH ORDINALITY AS u(t, i, o) LEFT JOIN e ON e.number = u.t ORDER BY u.o),
        phones = ARRAY(SELECT coalesce(u.p, e.phone) FROM unnest(l.ticket_numbers, l.phones) WITH ORDINALITY AS u(t, p, o) LEFT JOIN e ON e.number = u.t ORDER BY u.o)
      WHERE l.ticket_numbers && ${known.map((t) => t.number)}::text[]
        AND EXISTS (SELECT 1 FROM unnest(l.ticket_numbers, l.id_pels, l.phones) AS u(t, i, p) JOIN e ON e.number = u.t
                    WHERE (u.i IS NULL AND e.id_pel IS NOT NULL) OR (u.p IS NULL AND e.phone IS NOT NULL))`;
  }

  /** Creates the day partitions from `first` to `last` (UTC days) that do not exist yet; how many it created. */
  async ensurePartitions(first: Date, last: Date): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>`SELECT apkt_access_log_ensure_partitions(${day(first)}::date, ${day(last)}::date) AS n`;
    return row.n;
  }

  /** Drops the day partitions that end at or before `before`'s day; how many it dropped. */
  async dropBefore(before: Date): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>`SELECT apkt_access_log_drop_before(${day(before)}::date) AS n`;
    return row.n;
  }

  /** Newest first; for a customer, each entry's ticket numbers are that customer's only. */
  async query(q: AccessQuery): Promise<AccessEntry[]> {
    const range = Prisma.sql`${q.from ? Prisma.sql`AND at >= ${q.from}` : Prisma.empty} ${q.to ? Prisma.sql`AND at < ${q.to}` : Prisma.empty}
      ${q.before ? Prisma.sql`AND (at, id) < (${q.before.at}::timestamptz, ${q.before.id}::bigint)` : Prisma.empty}`;
    const who = q.who;
    let select: Prisma.Sql;
    if ('sub' in who) {
      select = Prisma.sql`SELECT id::text, at, sub, role, endpoint, request_id AS "requestId",
          ARRAY(SELECT DISTINCT n FROM unnest(ticket_numbers) AS n WHERE n IS NOT NULL ORDER BY n) AS "ticketNumbers"
        FROM personal_data_access_log WHERE sub = ${who.sub} ${range}`;
    } else {
      const [column, value] = 'idPel' in who ? [Prisma.sql`id_pels`, who.idPel] : [Prisma.sql`phones`, who.phoneKey];
      const mine = 'idPel' in who ? Prisma.sql`u.i = ${value}` : Prisma.sql`u.p = ${value}`;
      select = Prisma.sql`SELECT id::text, at, sub, role, endpoint, request_id AS "requestId",
          ARRAY(SELECT DISTINCT u.t FROM unnest(ticket_numbers, id_pels, phones) AS u(t, i, p)
                WHERE u.t IS NOT NULL AND (${mine} OR u.t = ANY(${who.numbers}::text[])) ORDER BY u.t) AS "ticketNumbers"
        FROM personal_data_access_log WHERE (${column} @> ARRAY[${value}]::text[] OR ticket_numbers && ${who.numbers}::text[]) ${range}`;
    }
    return this.prisma.$queryRaw<AccessEntry[]>`${select} ORDER BY at DESC, id DESC LIMIT ${q.limit}`;
  }
}
