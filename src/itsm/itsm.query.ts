import { decodeCursor, encodeCursor, parseLimit } from '../common/cursor';
import type { ItsmReference, ItsmStatus } from '../generated/prisma/client';
import { invalidField } from '../http/problem';
import { ITSM_STATUSES } from './itsm.rules';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

// `?status=LOGGED,ACTIVE` (or the parameter repeated): every value must be one of R-A5's statuses.
function parseStatuses(raw: string | string[] | undefined): ItsmStatus[] | undefined {
  if (raw === undefined) return undefined;
  const values = [raw].flat().flatMap((v) => v.split(','));
  const unknown = values.find((v) => !ITSM_STATUSES.includes(v as ItsmStatus));
  if (unknown !== undefined) throw invalidField('status', `"${unknown}" is not one of ${ITSM_STATUSES.join(', ')}`);
  return values as ItsmStatus[];
}

function parseAfter(cursor: string | undefined): ItsmFilter['after'] {
  const key = decodeCursor(cursor, 2);
  if (!key) return undefined;
  const [createdAt, id] = key;
  const time = typeof createdAt === 'string' ? new Date(createdAt) : new Date(NaN);
  if (Number.isNaN(time.getTime()) || typeof id !== 'string' || !UUID.test(id)) throw invalidField('cursor', 'not a cursor this service issued');
  return { createdAt: time, id };
}

export function parseListQuery(query: ListQuery): ItsmFilter {
  if (query.idPel !== undefined && !/^\d{12}$/.test(query.idPel)) throw invalidField('idPel', 'idPel must be 12 digits');
  if (query.phone !== undefined && !/^\+?\d{8,15}$/.test(query.phone)) throw invalidField('phone', 'phone must be 8–15 digits with an optional leading +');
  return { statuses: parseStatuses(query.status), idPel: query.idPel, phone: query.phone, after: parseAfter(query.cursor), limit: parseLimit(query.limit) };
}

export const cursorAfter = (r: ItsmReference): string => encodeCursor([r.createdAt.toISOString(), r.id]);
