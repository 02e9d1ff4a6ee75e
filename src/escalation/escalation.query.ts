import { parseLimit } from '../common/cursor';
import { parseEnumList, parseTimeKeyCursor, timeKeyCursor, UUID } from '../common/list-query';
import type { Escalation, EscalationCategory, EscalationStatus } from '../generated/prisma/client';
import type { EscalationFilter } from './escalation.repository';
import { ESCALATION_CATEGORIES, ESCALATION_STATUSES } from './escalation.rules';

export interface ListQuery {
  status?: string | string[];
  category?: string | string[];
  limit?: string;
  cursor?: string;
}

export function parseListQuery(query: ListQuery): EscalationFilter {
  return {
    statuses: parseEnumList<EscalationStatus>('status', query.status, ESCALATION_STATUSES),
    categories: parseEnumList<EscalationCategory>('category', query.category, ESCALATION_CATEGORIES),
    after: afterOf(query.cursor),
    limit: parseLimit(query.limit),
  };
}

function afterOf(cursor: string | undefined): EscalationFilter['after'] {
  const after = parseTimeKeyCursor(cursor, UUID);
  return after && { createdAt: after.at, id: after.key };
}

export const cursorAfter = (e: Escalation): string => timeKeyCursor(e.createdAt, e.id);
