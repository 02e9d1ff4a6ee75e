import { decodeCursor, encodeCursor, parseLimit } from '../common/cursor';
import { isOffsetDateTime } from '../common/validators';
import type { ListriquOrder, ListriquOrderStatus } from '../generated/prisma/client';
import { invalidField } from '../http/problem';
import { ORDER_STATUSES } from './listriqu.rules';

export interface OrderListQuery {
  status?: string | string[];
  updatedSince?: string;
  limit?: string;
  cursor?: string;
}

export interface OrderFilter {
  statuses?: ListriquOrderStatus[];
  updatedSince?: Date;
  after?: { updatedAt: Date; ticketNumber: string };
  limit: number;
}

const TICKET_NUMBER = /^[GK]\d{13}$/;

// `?status=REQUEST,ORDER` (or the parameter repeated): every value must be an order status.
function parseStatuses(raw: string | string[] | undefined): ListriquOrderStatus[] | undefined {
  if (raw === undefined) return undefined;
  const values = [raw].flat().flatMap((v) => v.split(',')).map((v) => v.trim());
  const unknown = values.find((v) => !ORDER_STATUSES.includes(v as ListriquOrderStatus));
  if (unknown !== undefined) throw invalidField('status', `"${unknown}" is not one of ${ORDER_STATUSES.join(', ')}`);
  return values as ListriquOrderStatus[];
}

function parseAfter(cursor: string | undefined): OrderFilter['after'] {
  const key = decodeCursor(cursor, 2);
  if (!key) return undefined;
  const [updatedAt, ticketNumber] = key;
  const time = typeof updatedAt === 'string' ? new Date(updatedAt) : new Date(NaN);
  if (Number.isNaN(time.getTime()) || typeof ticketNumber !== 'string' || !TICKET_NUMBER.test(ticketNumber)) {
    throw invalidField('cursor', 'not a cursor this service issued');
  }
  return { updatedAt: time, ticketNumber };
}

export function parseOrderListQuery(query: OrderListQuery): OrderFilter {
  if (query.updatedSince !== undefined && !isOffsetDateTime(query.updatedSince)) {
    throw invalidField('updatedSince', 'updatedSince must be an ISO 8601 time with an offset');
  }
  return {
    statuses: parseStatuses(query.status),
    updatedSince: query.updatedSince !== undefined ? new Date(query.updatedSince) : undefined,
    after: parseAfter(query.cursor),
    limit: parseLimit(query.limit),
  };
}

export const orderCursorAfter = (o: ListriquOrder): string => encodeCursor([o.updatedAt.toISOString(), o.ticketNumber]);
