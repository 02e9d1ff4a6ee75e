import { parseLimit } from '../common/cursor';
import { parseEnumList, parseTimeKeyCursor, timeKeyCursor, UUID } from '../common/list-query';
import type { ItsmReference, ItsmStatus } from '../generated/prisma/client';
import { ITSM_STATUSES } from './itsm.rules';
import { invalidInput } from '../common/domain.exception';

export interface ListQuery {
  status?: string | string[];
  idPel?: string;
  phone?: string;
  limit?: string;
  cursor?: string;
}

export interface ItsmFilter {
  statuses?: ItsmStatus[];
  idPel?: string;
  phone?: string;
  after?: { createdAt: Date; id: string };
  limit: number;
}

export function parseListQuery(query: ListQuery): ItsmFilter {
  if (query.idPel !== undefined && !/^\d{12}$/.test(query.idPel)) throw invalidInput('idPel', 'idPel must be 12 digits');
  if (query.phone !== undefined && !/^\+?\d{8,15}$/.test(query.phone)) throw invalidInput('phone', 'phone must be 8–15 digits with an optional leading +');
  const after = parseTimeKeyCursor(query.cursor, UUID);
  return {
    statuses: parseEnumList<ItsmStatus>('status', query.status, ITSM_STATUSES),
    idPel: query.idPel,
    phone: query.phone,
    after: after && { createdAt: after.at, id: after.key },
    limit: parseLimit(query.limit),
  };
}

export const cursorAfter = (r: ItsmReference): string => timeKeyCursor(r.createdAt, r.id);
