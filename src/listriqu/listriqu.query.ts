import { parseLimit } from '../common/cursor';
import { parseEnumList, parseTimeKeyCursor, TICKET_NUMBER, timeKeyCursor } from '../common/list-query';
import { isOffsetDateTime } from '../common/validators';
import type { ListriquOrder, ListriquOrderStatus } from '../generated/prisma/client';
import { ORDER_STATUSES } from './listriqu.rules';
import { invalidInput } from '../common/domain.exception';

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

export function parseOrderListQuery(query: OrderListQuery): OrderFilter {
  if (query.updatedSince !== undefined && !isOffsetDateTime(query.updatedSince)) {
    throw invalidInput('updatedSince', 'updatedSince must be an ISO 8601 time with an offset');
  }
  const after = parseTimeKeyCursor(query.cursor, TICKET_NUMBER);
  return {
    statuses: parseEnumList<ListriquOrderStatus>('status', query.status, ORDER_STATUSES),
    updatedSince: query.updatedSince !== undefined ? new Date(query.updatedSince) : undefined,
    after: after && { updatedAt: after.at, ticketNumber: after.key },
    limit: parseLimit(query.limit),
  };
}

export const orderCursorAfter = (o: ListriquOrder): string => timeKeyCursor(o.updatedAt, o.ticketNumber);
