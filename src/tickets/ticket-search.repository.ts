import { Injectable } from '@nestjs/common';
import type { Reader } from '../database/read-router';
import { PrismaService } from '../database/prisma.service';
import { cancellable } from '../database/cancellable';
import { Prisma, type Ticket } from '../generated/prisma/client';
import { linkedTicketsStatement } from './sql/erase-personal-data.sql';
import { TICKET_COLUMNS, ticketFromSnapshot } from './sql/ticket-columns.sql';

/** Who a lookup is about (R-L1): one identifier (`number`: that ticket alone). */
export type CustomerKey = { number: string } | { idPel: string } | { meterNumber: string } | { phoneKey: string } | { name: string };

// R-L1, R-L3: the customer's tickets, newest first, each lookup one index range (the indexes of migration
// 20261130040000_customer_lookup). No rules here.
@Injectable()
export class TicketSearchRepository {
  constructor(private readonly prisma: PrismaService) {}

  /** Cancelled when `signal` aborts (issue 14 point 18): a name search can be long. */
  ofCustomer(key: CustomerKey, limit: number, signal?: AbortSignal, db?: Reader): Promise<Ticket[]> {
    const run = async (statement: Prisma.Sql) => (await cancellable(db?.pool ?? this.prisma.pool, statement, signal)).map(ticketFromSnapshot);
    if ('number' in key) return run(Prisma.sql`SELECT ${TICKET_COLUMNS} FROM tickets WHERE number = ${key.number}`);
    if ('idPel' in key) {
      return run(Prisma.sql`SELECT ${TICKET_COLUMNS} FROM tickets WHERE customer_id_pel = ${key.idPel}
        ORDER BY reported_at DESC, number DESC LIMIT ${limit}`);
    }
    if ('meterNumber' in key) {
      return run(Prisma.sql`SELECT ${TICKET_COLUMNS} FROM tickets WHERE customer_meter_number = ${key.meterNumber}
        ORDER BY reported_at DESC, number DESC LIMIT ${limit}`);
    }
    if ('phoneKey' in key) {
      return run(Prisma.sql`SELECT ${TICKET_COLUMNS} FROM tickets WHERE customer_phone_key = ${key.phoneKey}
        ORDER BY reported_at DESC, number DESC LIMIT ${limit}`);
    }
    // A substring of the name key (apkt_name_key: no accents, lower case, no white space); LIKE's own
    // wildcards in the name are matched literally. The trigram index serves it.
    return run(Prisma.sql`SELECT ${TICKET_COLUMNS} FROM tickets
      WHERE customer_name_key LIKE '%' || replace(replace(replace(apkt_name_key(${key.name}), '!', '!!'), '%', '!%'), '_', '!_') || '%' ESCAPE '!'
      ORDER BY reported_at DESC, number DESC LIMIT ${limit}`);
  }

  /** R-P2: one customer's tickets, with those linked to them by a shared identifier (linkedTicketsStatement), newest first. */
  async linkedTo(key: { idPel: string } | { phoneKey: string }, limit: number): Promise<Ticket[]> {
    return (await cancellable(this.prisma.pool, linkedTicketsStatement(key, TICKET_COLUMNS, limit))).map(ticketFromSnapshot);
  }

  /** R-L3: each ticket's status moves (statuses and their times), oldest first. */
  async timelines(numbers: string[], db?: Reader): Promise<Map<string, { status: string; at: Date }[]>> {
    const events = await (db?.prisma ?? this.prisma).ticketEvent.findMany({
      where: { ticketNumber: { in: numbers }, toStatus: { not: null } },
      select: { ticketNumber: true, toStatus: true, occurredAt: true },
      orderBy: { id: 'asc' },
    });
    const byTicket = new Map<string, { status: string; at: Date }[]>(numbers.map((n) => [n, []]));
    for (const e of events) byTicket.get(e.ticketNumber)?.push({ status: e.toStatus as string, at: e.occurredAt });
    return byTicket;
  }
}
