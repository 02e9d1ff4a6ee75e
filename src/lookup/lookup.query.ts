import { TICKET_NUMBER } from '../common/list-query';
import { isSearchablePhone, phoneKey } from '../common/phone';
import { isOffsetDateTime } from '../common/validators';
import type { CustomerKey } from '../tickets/ticket-search.service';
import { invalidInput } from '../common/domain.exception';

// The query parameters of R-L1, R-L2 and R-L3, checked here (400 naming the parameter) so the services
// see only well-formed keys.

export const HISTORY_PARAMS = ['number', 'idPel', 'meterNumber', 'phone', 'name'] as const;
export const CUSTOMER_TICKETS_PARAMS = ['idPel', 'meterNumber'] as const;
export const PREVIEW_PARAMS = ['note', 'reportedAt', 'customerDisputesUnitAnswer', 'unitAnswerUnclear'] as const;
export const NOTE_MAX = 4000; // as ReReportDto.note

type Query = Record<string, unknown>;

const MIN_NAME = 3;

/** Exactly one of `names` is given, as a single string. */
function exactlyOne(query: Query, names: readonly string[]): [string, string] {
  const given = names.filter((n) => query[n] !== undefined);
  if (given.length !== 1) {
    throw invalidInput(given[1] ?? names[0], `exactly one of ${names.join(', ')} is required${given.length ? `, not ${given.join(' and ')}` : ''}`);
  }
  const value = query[given[0]];
  if (typeof value !== 'string') throw invalidInput(given[0], `${given[0]} is given once`);
  return [given[0], value];
}

function idKey(field: string, value: string): CustomerKey {
  if (field === 'idPel') {
    if (!/^\d{12}$/.test(value)) throw invalidInput('idPel', 'idPel must be 12 digits');
    return { idPel: value };
  }
  if (!/^\d{11}$/.test(value)) throw invalidInput('meterNumber', 'meterNumber must be 11 digits');
  return { meterNumber: value };
}

/** R-L1: exactly one of number, idPel, meterNumber, phone (any written form), name (≥ 3 characters). */
export function parseHistoryQuery(query: Query): CustomerKey {
  const [field, value] = exactlyOne(query, HISTORY_PARAMS);
  switch (field) {
    case 'number':
      if (!TICKET_NUMBER.test(value)) throw invalidInput('number', 'number is a ticket number, e.g. G5422026000123');
      return { number: value };
    case 'phone':
      if (!isSearchablePhone(value)) throw invalidInput('phone', 'phone must be 8–15 digits, optionally with +, spaces or dashes');
      return { phoneKey: phoneKey(value) };
    case 'name':
      // spacing is ignored in the match, so it does not count towards the 3 characters either
      if (value.replace(/\s+/g, '').length < MIN_NAME) throw invalidInput('name', `name must have at least ${MIN_NAME} characters`);
      if (value.length > 200) throw invalidInput('name', 'name must have at most 200 characters');
      return { name: value };
    default:
      return idKey(field, value);
  }
}

/** R-L3: `idPel` or `meterNumber`, exactly one. */
export function parseCustomerTicketsQuery(query: Query): CustomerKey {
  const [field, value] = exactlyOne(query, CUSTOMER_TICKETS_PARAMS);
  return idKey(field, value);
}

export interface PreviewQuery {
  note?: string;
  reportedAt?: string;
  customerDisputesUnitAnswer?: boolean;
  unitAnswerUnclear?: boolean;
}

function flag(query: Query, field: string): boolean | undefined {
  const value = query[field];
  if (value === undefined) return undefined;
  if (value !== 'true' && value !== 'false') throw invalidInput(field, `${field} is true or false`);
  return value === 'true';
}

/** R-L2: the re-report's own fields (ReReportDto), as query parameters, under the same checks. */
export function parsePreviewQuery(query: Query): PreviewQuery {
  const { note, reportedAt } = query;
  if (note !== undefined && typeof note !== 'string') throw invalidInput('note', 'note is given once');
  if (typeof note === 'string' && note.length > NOTE_MAX) throw invalidInput('note', `note must be shorter than or equal to ${NOTE_MAX} characters`);
  if (reportedAt !== undefined && !isOffsetDateTime(reportedAt)) throw invalidInput('reportedAt', 'reportedAt must be an ISO 8601 time with an offset');
  return {
    note: note as string | undefined,
    reportedAt: reportedAt as string | undefined,
    customerDisputesUnitAnswer: flag(query, 'customerDisputesUnitAnswer'),
    unitAnswerUnclear: flag(query, 'unitAnswerUnclear'),
  };
}
