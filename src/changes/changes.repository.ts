import { Injectable } from '@nestjs/common';
import type { Reader } from '../database/read-router';
import { PrismaService } from '../database/prisma.service';
import { cancellable } from '../database/cancellable';
import { Prisma, type Ticket } from '../generated/prisma/client';
import { TICKET_COLUMNS, ticketFromSnapshot } from '../tickets/sql/ticket-columns.sql';
import { snapshotXmin, type Position } from './positions';

export interface ChangedTicket {
  xid: string;
  ticket: Ticket;
}

export interface Window {
  /** the snapshot that closes the window read */
  end: string;
  rows: ChangedTicket[];
}

/** A changed ticket as its key: where it lies in the feed, and its unit. */
export interface ChangedKey {
  xid: string;
  ticket: Pick<Ticket, 'number' | 'unitCode'>;
}

export interface KeyWindow {
  end: string;
  rows: ChangedKey[];
}

const KEY_COLUMNS = Prisma.sql`number, unit_code AS "unitCode"`;

const larger = (a: string, b: string) => (BigInt(a) > BigInt(b) ? a : b);

// The feed's only queries. It reads the tickets table (owned by src/tickets) but never writes it: the
// trigger of migration 20261130030000_change_feed stamps every write with its transaction id.
@Injectable()
export class ChangesRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** A snapshot taken now: nothing committed after it is visible in it. */
  async snapshot(): Promise<string> {
    const [row] = await this.prisma.$queryRaw<{ snap: string }[]>`SELECT pg_current_snapshot()::text AS snap`;
    return row.snap;
  }

  /**
   * The tickets whose latest change lies in the window (position.prev, end], in (change_xid, number)
   * order after the position's row: changed by a transaction that `prev` did not see and `end` does.
   * `end` is the position's own, else `end` given, else this statement's snapshot. A transaction still
   * in progress at `end` is outside the window and falls in the next one, whatever its id.
   */
  /** R-F1: the replicas' shared position key, made by the first replica that asks (one row, never changed). */
  async sharedKey(candidate: string, now: Date): Promise<string> {
    await this.prisma.$executeRaw`INSERT INTO change_feed_keys (id, key, created_at) VALUES (1, ${candidate}, ${now}) ON CONFLICT (id) DO NOTHING`;
    const [row] = await this.prisma.$queryRaw<{ key: string }[]>`SELECT key FROM change_feed_keys WHERE id = 1`;
    return row.key;
  }

  async window(position: Position, units: readonly string[] | null, limit: number, end?: string, signal?: AbortSignal, db?: Reader): Promise<Window> {
    const found = await this.read(position, units, limit, TICKET_COLUMNS, end, signal, db);
    return { end: found.end, rows: found.rows.map((r) => ({ xid: r.xid, ticket: ticketFromSnapshot(r.ticket) })) };
  }

  /**
   * The same window as `window`, each changed ticket as its number and unit only: what the replica's own
   * watcher needs (the list's markers, ChangeStream), without building and sending every row it will
   * never show — a mass outage's move changes tens of thousands of tickets, read by every replica.
   */
  async windowKeys(position: Position, limit: number, end?: string): Promise<KeyWindow> {
    const found = await this.read(position, null, limit, KEY_COLUMNS, end);
    return { end: found.end, rows: found.rows.map((r) => ({ xid: r.xid, ticket: r.ticket as ChangedKey['ticket'] })) };
  }

  private async read(position: Position, units: readonly string[] | null, limit: number, columns: Prisma.Sql, end?: string, signal?: AbortSignal, db?: Reader) {
    const prev = position.prev;
    // every row of the window has an id at or above both
    const lower = larger(prev ? snapshotXmin(prev) : '0', position.xid ?? '0');
    // change_feed_window (migration 20261207050000) reads the window by index, never by a sequential scan
    // of the table: planned without statistics for tickets (a new or restored database) the inline read
    // scanned every ticket (issue 30). Cancelled when `signal` aborts: the request's client went away
    // (issue 14 point 18).
    const [row] = await cancellable<{ end: string; rows: { xid: string; ticket: unknown }[] }>(db?.pool ?? this.prisma.pool, Prisma.sql`
      WITH s AS (SELECT coalesce(${position.end ?? end ?? null}::text::pg_snapshot, pg_current_snapshot()) AS snap),
      r AS (
        SELECT change_xid, ${columns} FROM s,
          change_feed_window(${lower}::bigint, ${prev}::text::pg_snapshot, s.snap, ${units ? [...units] : null}::text[],
            ${position.xid}::bigint, ${position.number}::text, ${limit}::int) AS tickets)
      SELECT (SELECT snap::text FROM s) AS "end",
        coalesce((SELECT json_agg(json_build_object('xid', change_xid::text, 'ticket', row_to_json(r)) ORDER BY change_xid, number) FROM r), '[]') AS rows`, signal);
    return row;
  }
}

