import type { ListriquOrderStatus } from '../generated/prisma/enums';

// ListriQu's rules (002, R-I1, R-I3, R-I5) as pure functions over plain data.

export const ORDER_STATUSES: readonly ListriquOrderStatus[] = ['REQUEST', 'ORDER', 'PENUGASAN', 'SELESAI', 'BATAL'];

/** CC ListriQu, where a customer goes once the contact centre may no longer change an order (R-I3). */
export const CC_LISTRIQU = '150-456';

/** The calendar day (YYYY-MM-DD) of `at` in `timeZone`: coverage starts on a local day (R-I1). */
export function dayIn(at: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** R-I1: a province is covered on `day` from its start date on; no start date, never. */
export function isCovered(startDate: string | null, day: string): boolean {
  return startDate !== null && day >= startDate;
}

// R-I5: ListriQu reports REQUEST → ORDER → PENUGASAN → SELESAI, forward only, skips allowed.
const FLOW: readonly ListriquOrderStatus[] = ['REQUEST', 'ORDER', 'PENUGASAN', 'SELESAI'];

/** Why ListriQu may not move an order from `from` to `to`, or null when it may. */
export function orderMoveRefusal(from: ListriquOrderStatus, to: ListriquOrderStatus): string | null {
  if (to === 'BATAL') return 'an order becomes BATAL only when the customer cancels at the contact centre (R-I3)';
  if (from === 'BATAL') return 'the order was cancelled (BATAL)';
  if (FLOW.indexOf(to) <= FLOW.indexOf(from)) return `${from} → ${to} is not a forward move (R-I5)`;
  return null;
}

/** R-I3: why the contact centre may no longer correct or cancel the order, or null while it may. */
export function correctionRefusal(status: ListriquOrderStatus): string | null {
  if (status === 'REQUEST' || status === 'ORDER') return null;
  if (status === 'BATAL') return 'the order was already cancelled (BATAL)';
  return `the order is ${status}: from PENUGASAN on the customer is directed to CC ListriQu ${CC_LISTRIQU}`;
}
