import { Injectable } from '@nestjs/common';
import type { Reader } from '../database/read-router';
import { Clock } from '../clock/clock';
import { provinceKey } from '../common/provinces';
import { toPage } from '../common/list-query';
import type { Tx } from '../database/prisma.service';
import type { ListriquOrderStatus } from '../generated/prisma/client';
import type { PutCoverageDto } from './listriqu.dto';
import { type OrderFilter, orderCursorAfter } from './listriqu.query';
import { ListriquRepository } from './listriqu.repository';
import { correctionRefusal, isCovered, orderMoveRefusal } from './listriqu.rules';
import { type CoverageAnswer, dateOnly, type OrderAnswer, type OrderWithLocation, toCoverageView, toDate, toOrderView, toOrderWithLocation } from './listriqu.view';
import { invalidInput } from '../common/domain.exception';
import { ListriquException, ListriquErrorCode } from './listriqu.exception';

/** What an order is made of when a covered IML report is forwarded (R-I2). */
export interface NewOrder {
  ticketNumber: string;
  willingToPay: boolean;
  province: string;
  address?: string | null;
  preferredVisitDate?: string | null;
  regency?: string | null;
  district?: string | null;
  village?: string | null;
  landmark?: string | null;
  latitude?: number | null;
  longitude?: number | null;
}

// ListriQu coverage (R-I1) and orders (R-I2…R-I5). The in-transaction methods serve the tickets side,
// which makes, corrects and re-reports forwarded tickets; every caller holds the forwarded ticket's
// row lock (the tickets module locks it, or the ticket is new), so changes to one order never interleave.
@Injectable()
export class ListriquService {
  constructor(
    private readonly repository: ListriquRepository,
    private readonly clock: Clock,
  ) {}

  async listCoverage(): Promise<CoverageAnswer[]> {
    return (await this.repository.coverage()).map(toCoverageView);
  }

  async putCoverage(provinceText: string, dto: PutCoverageDto): Promise<CoverageAnswer> {
    const province = provinceKey(provinceText);
    if (!province) throw invalidInput('province', `"${provinceText}" is not one of the 38 province keys of API.md`);
    return toCoverageView(await this.repository.putCoverage(province, toDate(dto.startDate), this.clock.now()));
  }

  /** R-I1: whether ListriQu serves `province` (a canonical key) on `day` (YYYY-MM-DD). */
  async coversOn(tx: Tx, province: string, day: string): Promise<boolean> {
    const coverage = await this.repository.coverageOf(tx, province);
    return isCovered(coverage ? dateOnly(coverage.startDate) : null, day);
  }

  async listOrders(filter: OrderFilter): Promise<{ items: OrderAnswer[]; nextCursor: string | null }> {
    return toPage(await this.repository.page({ ...filter, limit: filter.limit + 1 }), filter.limit, toOrderView, orderCursorAfter);
  }

  /**
   * R-I5: ListriQu reports its order's progress, forward only, inside the caller's transaction (which
   * holds the forwarded ticket's lock and records the change in its history). Returns the status it left.
   */
  async moveStatus(tx: Tx, ticketNumber: string, status: ListriquOrderStatus, now: Date): Promise<{ from: ListriquOrderStatus; order: OrderAnswer }> {
    const order = await this.repository.findOrder(tx, ticketNumber);
    if (!order) throw new ListriquException(ListriquErrorCode.NOT_FOUND, `ListriQu order ${ticketNumber} not found`);
    const refusal = orderMoveRefusal(order.status, status);
    if (refusal) throw new ListriquException(ListriquErrorCode.INVALID_TRANSITION, `${ticketNumber}: ${refusal}`);
    const updated = await this.repository.updateOrder(tx, ticketNumber, { status, updatedAt: now });
    return { from: order.status, order: toOrderView(updated) };
  }

  /** R-I2: the order of a forwarded report, status REQUEST, in the transaction that forwards it. */
  async createOrder(tx: Tx, input: NewOrder, now: Date): Promise<OrderAnswer> {
    const row = await this.repository.insertOrder(tx, {
      ticketNumber: input.ticketNumber,
      status: 'REQUEST',
      willingToPay: input.willingToPay,
      province: input.province,
      address: input.address ?? null,
      preferredVisitDate: input.preferredVisitDate ? toDate(input.preferredVisitDate) : null,
      regency: input.regency ?? null,
      district: input.district ?? null,
      village: input.village ?? null,
      landmark: input.landmark ?? null,
      latitude: input.latitude ?? null,
      longitude: input.longitude ?? null,
      createdAt: now,
      updatedAt: now,
    });
    return toOrderView(row);
  }

  /** The order's status, or null when the ticket has none (R-I4, R-I6). */
  async orderStatus(tx: Tx, ticketNumber: string): Promise<ListriquOrderStatus | null> {
    return (await this.repository.findOrder(tx, ticketNumber))?.status ?? null;
  }

  /** R-I4: the customer reported again ("LAPORAN BERULANG" in ListriQu); null when the ticket has no order. */
  async bumpRepeat(tx: Tx, ticketNumber: string, now: Date): Promise<OrderAnswer | null> {
    if (!(await this.repository.findOrder(tx, ticketNumber))) return null;
    return toOrderView(await this.repository.updateOrder(tx, ticketNumber, { repeatCount: { increment: 1 }, updatedAt: now }));
  }

  /** R-I3: the customer corrects the report (the visit date); 409 once ListriQu has assigned it. */
  async correct(tx: Tx, ticketNumber: string, change: { preferredVisitDate?: string }, now: Date): Promise<OrderAnswer> {
    await this.correctable(tx, ticketNumber);
    const visit = change.preferredVisitDate !== undefined ? { preferredVisitDate: toDate(change.preferredVisitDate) } : {};
    return toOrderView(await this.repository.updateOrder(tx, ticketNumber, { ...visit, updatedAt: now }));
  }

  /** R-I3: the customer cancels the report; the order becomes BATAL. 409 once ListriQu has assigned it. */
  async cancel(tx: Tx, ticketNumber: string, now: Date): Promise<OrderAnswer> {
    await this.correctable(tx, ticketNumber);
    return toOrderView(await this.repository.updateOrder(tx, ticketNumber, { status: 'BATAL', updatedAt: now }));
  }

  private async correctable(tx: Tx, ticketNumber: string): Promise<void> {
    const order = await this.repository.findOrder(tx, ticketNumber);
    if (!order) throw new ListriquException(ListriquErrorCode.INVALID_TRANSITION, `${ticketNumber} was never forwarded to ListriQu: there is no order to correct or cancel (R-I3)`);
    const refusal = correctionRefusal(order.status);
    if (refusal) throw new ListriquException(ListriquErrorCode.INVALID_TRANSITION, `${ticketNumber}: ${refusal} (R-I3)`);
  }

  /** R-L1: the ListriQu orders of a customer's tickets, newest first. */
  /** `db`: the database the read router picked (R-D1); the primary when not given. */
  async ordersOf(ticketNumbers: string[], limit: number, db?: Reader): Promise<OrderAnswer[]> {
    return ticketNumbers.length ? (await this.repository.ordersOf(ticketNumbers, limit, db)).map(toOrderView) : [];
  }

  /** R-P2: the tickets' orders with the IML location each holds. */
  async ordersWithLocationOf(ticketNumbers: string[], limit: number): Promise<OrderWithLocation[]> {
    return ticketNumbers.length ? (await this.repository.ordersOf(ticketNumbers, limit)).map(toOrderWithLocation) : [];
  }

  /** R-P3, R-P4: erases the address and location of the tickets' orders, in `tx`. */
  erasePersonalData(tx: Tx, numbers: string[], now: Date): Promise<number> {
    return numbers.length ? this.repository.erasePersonalData(tx, numbers, now) : Promise.resolve(0);
  }
}
