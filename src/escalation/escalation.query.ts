import { decodeCursor, encodeCursor, parseLimit } from '../common/cursor';
import type { Escalation, EscalationCategory, EscalationStatus } from '../generated/prisma/client';
import { invalidField } from '../http/problem';
import type { EscalationFilter } from './escalation.repository';
import { ESCALATION_CATEGORIES, ESCALATION_STATUSES } from './escalation.rules';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface ListQuery {
  status?: string | string[];
  category?: string | string[];
  limit?: string;
  cursor?: string;
}

// `?status=OPEN,CLAIMED` (or the parameter repeated): every value must be one the contract names.
function parseEnumList<T extends string>(field: string, raw: string | string[] | undefined, allowed: readonly T[]): T[] | undefined {
  if (raw === undefined) return undefined;
  const values = [raw].flat().flatMap((v) => v.split(','));
  const unknown = values.find((v) => !allowed.includes(v as T));
  if (unknown !== undefined) throw invalidField(field, `"${unknown}" is not one of ${allowed.join(', ')}`);
  return values as T[];
}

function parseAfter(cursor: string | undefined): EscalationFilter['after'] {
  const key = decodeCursor(cursor, 2);
  if (!key) return undefined;
  const [createdAt, id] = key;
  const time = typeof createdAt === 'string' ? new Date(createdAt) : new Date(NaN);
  if (Number.isNaN(time.getTime()) || typeof id !== 'string' || !UUID.test(id)) throw invalidField('cursor', 'not a cursor this service issued');
  return { createdAt: time, id };
}

export function parseListQuery(query: ListQuery): EscalationFilter {
  return {
    statuses: parseEnumList<EscalationStatus>('status', query.status, ESCALATION_STATUSES),
    categories: parseEnumList<EscalationCategory>('category', query.category, ESCALATION_CATEGORIES),
    after: parseAfter(query.cursor),
    limit: parseLimit(query.limit),
  };
}

export const cursorAfter = (e: Escalation): string => encodeCursor([e.createdAt.toISOString(), e.id]);
