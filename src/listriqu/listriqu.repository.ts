import { Injectable } from '@nestjs/common';
import type { Reader } from '../database/read-router';
import { prepared } from '../database/prepared';
import { PrismaService, Tx } from '../database/prisma.service';
import type { ListriquCoverage, ListriquOrder, Prisma } from '../generated/prisma/client';
import type { OrderFilter } from './listriqu.query';

const ORDERS_OF_TICKETS = `SELECT ticket_number AS "ticketNumber", status, willing_to_pay AS "willingToPay", province, address, regency,
    district, village, landmark, latitude, longitude, preferred_visit_date::text AS "visitDate", repeat_count AS "repeatCount",
    created_at AS "createdAt", updated_at AS "updatedAt"
  FROM listriqu_orders WHERE ticket_number = ANY($1::text[]) ORDER BY created_at DESC, ticket_number DESC LIMIT $2`;

// The ListriQu tables; no rules here.
@Injectable()
export class ListriquRepository {
  constructor(private readonly prisma: PrismaService) {}

  coverage(): Promise<ListriquCoverage[]> {
    return this.prisma.listriquCoverage.findMany({ orderBy: [{ startDate: 'asc' }, { province: 'asc' }] });
  }

  coverageOf(tx: Tx, province: string): Promise<ListriquCoverage | null> {
    return tx.listriquCoverage.findUnique({ where: { province } });
  }

  putCoverage(province: string, startDate: Date, now: Date): Promise<ListriquCoverage> {
    return this.prisma.listriquCoverage.upsert({
      where: { province },
      create: { province, startDate, updatedAt: now },
      update: { startDate, updatedAt: now },
    });
  }

  insertOrder(tx: Tx, data: Prisma.ListriquOrderUncheckedCreateInput): Promise<ListriquOrder> {
    return tx.listriquOrder.create({ data });
  }

  findOrder(tx: Tx, ticketNumber: string): Promise<ListriquOrder | null> {
    return tx.listriquOrder.findUnique({ where: { ticketNumber } });
  }

  updateOrder(tx: Tx, ticketNumber: string, data: Prisma.ListriquOrderUpdateInput): Promise<ListriquOrder> {
    return tx.listriquOrder.update({ where: { ticketNumber }, data });
  }

  /** Oldest first by updatedAt then ticketNumber; `after` is the keyset of the previous page's last item. */
  page(filter: OrderFilter): Promise<ListriquOrder[]> {
    const { after } = filter;
    const and: Prisma.ListriquOrderWhereInput[] = [];
    if (filter.statuses) and.push({ status: { in: filter.statuses } });
    if (filter.updatedSince) and.push({ updatedAt: { gte: filter.updatedSince } });
    if (after) and.push({ OR: [{ updatedAt: { gt: after.updatedAt } }, { updatedAt: after.updatedAt, ticketNumber: { gt: after.ticketNumber } }] });
    return this.prisma.listriquOrder.findMany({
      where: { AND: and },
      orderBy: [{ updatedAt: 'asc' }, { ticketNumber: 'asc' }],
      take: filter.limit,
    });
  }

  /** R-L1: the orders of these tickets, newest first. */
  /** R-L1: the orders of these tickets, newest first; a customer lookup runs it on every call (prepared, on the pool). */
  async ordersOf(ticketNumbers: string[], limit: number, db?: Reader): Promise<ListriquOrder[]> {
    if (!ticketNumbers.length) return [];
    const { rows } = await (db?.pool ?? this.prisma.pool).query<ListriquOrder & { visitDate: string | null }>(prepared(ORDERS_OF_TICKETS, [ticketNumbers, limit]));
    // a DATE as Prisma reads it: midnight UTC of that day, whatever the process's time zone
    return rows.map(({ visitDate, ...order }) => ({ ...order, preferredVisitDate: visitDate === null ? null : new Date(`${visitDate}T00:00:00Z`) }));
  }

  /** R-P3, R-P4: the orders of the tickets lose the customer's address and location (province stays: reports and coverage). */
  erasePersonalData(tx: Tx, numbers: string[], now: Date): Promise<number> {
    return tx.$executeRaw`
      UPDATE listriqu_orders SET address = NULL, regency = NULL, district = NULL, village = NULL, landmark = NULL,
        latitude = NULL, longitude = NULL, updated_at = ${now}
      WHERE ticket_number = ANY(${numbers}::text[])
        AND (address IS NOT NULL OR regency IS NOT NULL OR district IS NOT NULL OR village IS NOT NULL OR landmark IS NOT NULL
             OR latitude IS NOT NULL OR longitude IS NOT NULL)`;
  }
}
