import type { ListriquCoverage, ListriquOrder, ListriquOrderStatus } from '../generated/prisma/client';

/** API.md's ListriQu order. */
export interface OrderView {
  ticketNumber: string;
  status: ListriquOrderStatus;
  willingToPay: boolean;
  province: string;
  address: string | null;
  preferredVisitDate: string | null;
  repeatCount: number;
  createdAt: string;
  updatedAt: string;
}

export interface CoverageView {
  province: string;
  startDate: string;
}

// A @db.Date column comes back as midnight UTC of that day.
export const dateOnly = (d: Date): string => d.toISOString().slice(0, 10);
export const toDate = (day: string): Date => new Date(`${day}T00:00:00.000Z`);

export const toOrderView = (o: ListriquOrder): OrderView => ({
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

export const toCoverageView = (c: ListriquCoverage): CoverageView => ({ province: c.province, startDate: dateOnly(c.startDate) });
