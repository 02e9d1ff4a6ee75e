import { AnswerShape, boolean, date, Field, integer, list, nullable, number, oneOf, PageOf, pageShape, ref, string, time } from '../common/answer-shape';
import { PROVINCES } from '../common/provinces';
import type { ListriquCoverage, ListriquOrder, ListriquOrderStatus } from '../generated/prisma/client';
import { ORDER_STATUSES } from './listriqu.rules';

export const ORDER_EXAMPLE = {
  ticketNumber: 'G5422026000125', status: 'REQUEST', willingToPay: true, province: 'JAWA BARAT', address: 'Jl. Merdeka 1',
  preferredVisitDate: '2026-11-25', repeatCount: 0, createdAt: '2026-11-23T01:00:00.000Z', updatedAt: '2026-11-23T01:00:00.000Z',
};

/** API.md's ListriQu order (issue 24: the document's Order is this class). */
@AnswerShape({ name: 'Order', description: 'A ListriQu order (R-I2…R-I5).', example: ORDER_EXAMPLE })
export class OrderAnswer {
  @Field(string()) ticketNumber!: string;
  @Field(oneOf(ORDER_STATUSES)) status!: ListriquOrderStatus;
  @Field(boolean()) willingToPay!: boolean;
  @Field(oneOf(PROVINCES)) province!: string;
  @Field(nullable(string())) address!: string | null;
  @Field(nullable(date())) preferredVisitDate!: string | null;
  @Field(integer()) repeatCount!: number;
  @Field(time()) createdAt!: string;
  @Field(time()) updatedAt!: string;
}

/** Where an IML visit goes (R-I2), as an order holds it: personal data (§18), so in the export (R-P2) only. */
export class ImlLocationAnswer {
  @Field(nullable(string())) regency!: string | null;
  @Field(nullable(string())) district!: string | null;
  @Field(nullable(string())) village!: string | null;
  @Field(nullable(string())) landmark!: string | null;
  @Field(nullable(number())) latitude!: number | null;
  @Field(nullable(number())) longitude!: number | null;
}

/** An order with the IML location it holds (R-P2: everything held). */
export type OrderWithLocation = OrderAnswer & { location: ImlLocationAnswer };

export const toOrderWithLocation = (o: ListriquOrder): OrderWithLocation => ({
  ...toOrderView(o),
  location: { regency: o.regency, district: o.district, village: o.village, landmark: o.landmark, latitude: o.latitude, longitude: o.longitude },
});

@AnswerShape(pageShape('OrderPage', 'Order', ORDER_EXAMPLE))
export class OrderPageAnswer extends PageOf(OrderAnswer) {}

const COVERAGE_EXAMPLE = { province: 'JAWA BARAT', startDate: '2021-04-05' };

@AnswerShape({ name: 'Coverage', description: 'Where and since when ListriQu serves (R-I1).', example: COVERAGE_EXAMPLE })
export class CoverageAnswer {
  @Field(oneOf(PROVINCES)) province!: string;
  @Field(date()) startDate!: string;
}

@AnswerShape({ name: 'CoverageList', description: 'Every covered province.', example: { items: [COVERAGE_EXAMPLE] } })
export class CoverageListAnswer {
  @Field(list(ref(CoverageAnswer))) items!: CoverageAnswer[];
}

// A @db.Date column comes back as midnight UTC of that day.
export const dateOnly = (d: Date): string => d.toISOString().slice(0, 10);
export const toDate = (day: string): Date => new Date(`${day}T00:00:00.000Z`);

export const toOrderView = (o: ListriquOrder): OrderAnswer => ({
  ticketNumber: o.ticketNumber,
  status: o.status,
  willingToPay: o.willingToPay,
  province: o.province,
  address: o.address,
  preferredVisitDate: o.preferredVisitDate ? dateOnly(o.preferredVisitDate) : null,
  repeatCount: o.repeatCount,
  createdAt: o.createdAt.toISOString(),
  updatedAt: o.updatedAt.toISOString(),
});

export const toCoverageView = (c: ListriquCoverage): CoverageAnswer => ({ province: c.province, startDate: dateOnly(c.startDate) });
