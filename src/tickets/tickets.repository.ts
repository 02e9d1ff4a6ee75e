import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/prisma.service';
import { Prisma, type Ticket } from '../generated/prisma/client';
import type { TicketKind } from '../generated/prisma/enums';
import { Problem, ProblemCode } from '../http/problem';
import { kindLetter } from './rules/ticket-number.rule';

// The tickets tables; no rules here.
@Injectable()
export class TicketsRepository {
  /** R-T2: the next sequence value of (kind, unit, year); see ticket_number_next in the first migration. */
  async nextSequence(tx: Tx, kind: TicketKind, unitCode: string, year: number): Promise<number> {
    try {
      const [row] = await tx.$queryRaw<{ seq: number }[]>`SELECT ticket_number_next(${kindLetter(kind)}, ${unitCode}, ${year}::int)::int AS seq`;
      return row.seq;
    } catch (error) {
      if (/maximum value|2200H/.test(String((error as Error).message))) {
        throw new Problem(ProblemCode.NUMBER_EXHAUSTED, `All 999999 ${kind} numbers of unit ${unitCode} for ${year} are used`);
      }
      throw error;
    }
  }

  /** The ticket, its row locked until the transaction ends (changes to one ticket are serialised). */
  async lock(tx: Tx, number: string): Promise<Ticket | null> {
    const rows = await tx.$queryRaw<{ number: string }[]>`SELECT number FROM tickets WHERE number = ${number} FOR UPDATE`;
    return rows.length ? tx.ticket.findUnique({ where: { number } }) : null;
  }

  /**
   * What the ETag of a list is made of: the newest change in the scope and the count and version sum of
   * the rows changed in the 10 s before it. One short index range, whatever the table's size; the window
   * catches a transaction that commits after a newer one with an older `updatedAt`.
   */
  async changeMarker(tx: Tx, unitCode: string | undefined): Promise<string> {
    const scope = unitCode ? Prisma.sql`unit_code = ${unitCode}` : Prisma.sql`TRUE`;
    const [row] = await tx.$queryRaw<{ max_at: Date | null; n: number; v: string | null }[]>`
      SELECT max(updated_at) AS max_at, count(*)::int AS n, sum(version)::text AS v FROM tickets
      WHERE ${scope} AND updated_at >= (SELECT max(updated_at) FROM tickets WHERE ${scope}) - interval '10 seconds'`;
    return `${row.max_at?.toISOString() ?? '-'}/${row.n}/${row.v ?? 0}`;
  }
}
