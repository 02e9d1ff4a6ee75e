import { isOffsetDateTime } from '../common/validators';
import { isSearchablePhone, phoneKey } from '../common/phone';
import type { Prisma } from '../generated/prisma/client';
import { Channel } from '../generated/prisma/enums';
import { invalidInput } from '../common/domain.exception';

// API.md "List", R-L1: what a supervisor and an agent look for. Each value is checked (400 naming the
// parameter), never ignored; each filter has an index of migration 20261130040000_customer_lookup.
export interface CustomerFilterQuery {
  idPel?: string;
  meterNumber?: string;
  phone?: string;
  urgent?: string;
  reReported?: string;
  problemType?: string;
  subType?: string;
  channel?: string;
  reportedFrom?: string;
  reportedTo?: string;
}

export const CUSTOMER_FILTER_PARAMS = ['idPel', 'meterNumber', 'phone', 'urgent', 'reReported', 'problemType', 'subType', 'channel', 'reportedFrom', 'reportedTo'] as const;

const CLASSIFICATION = /^[A-Z0-9_]{1,64}$/;
const CHANNELS = Object.values(Channel) as string[];

function checked(field: string, raw: unknown, ok: (value: string) => boolean, message: string): string | undefined {
  if (raw === undefined) return undefined;
  if (typeof raw !== 'string' || !ok(raw)) throw invalidInput(field, message);
  return raw;
}

function flag(field: string, raw: unknown): boolean | undefined {
  const value = checked(field, raw, (v) => v === 'true' || v === 'false', `${field} is true or false`);
  return value === undefined ? undefined : value === 'true';
}

function time(field: string, raw: unknown): Date | undefined {
  const value = checked(field, raw, isOffsetDateTime, `${field} must be an ISO 8601 time with an offset`);
  return value === undefined ? undefined : new Date(value);
}

/** The list's customer and classification filters as Prisma conditions; a bad value → 400 naming it. */
export function parseCustomerFilters(query: CustomerFilterQuery): Prisma.TicketWhereInput[] {
  const idPel = checked('idPel', query.idPel, (v) => /^\d{12}$/.test(v), 'idPel must be 12 digits');
  const meterNumber = checked('meterNumber', query.meterNumber, (v) => /^\d{11}$/.test(v), 'meterNumber must be 11 digits');
  const phone = checked('phone', query.phone, isSearchablePhone, 'phone must be 8–15 digits, optionally with +, spaces or dashes');
  const urgent = flag('urgent', query.urgent);
  const reReported = flag('reReported', query.reReported);
  const problemType = checked('problemType', query.problemType, (v) => CLASSIFICATION.test(v), 'problemType is UPPER_SNAKE ([A-Z0-9_]{1,64})');
  const subType = checked('subType', query.subType, (v) => CLASSIFICATION.test(v), 'subType is UPPER_SNAKE ([A-Z0-9_]{1,64})');
  const channel = checked('channel', query.channel, (v) => CHANNELS.includes(v), `channel is one of ${CHANNELS.join(', ')}`);
  const reportedFrom = time('reportedFrom', query.reportedFrom);
  const reportedTo = time('reportedTo', query.reportedTo);

  const and: Prisma.TicketWhereInput[] = [];
  if (idPel) and.push({ customerIdPel: idPel });
  if (meterNumber) and.push({ customerMeterNumber: meterNumber });
  if (phone) and.push({ customerPhoneKey: phoneKey(phone) }); // any written form (R-L1)
  if (urgent !== undefined) and.push({ urgent });
  if (reReported !== undefined) and.push({ reReported });
  if (problemType) and.push({ problemType });
  if (subType) and.push({ subType });
  if (channel) and.push({ channel: channel as Channel });
  if (reportedFrom) and.push({ reportedAt: { gte: reportedFrom } }); // inclusive
  if (reportedTo) and.push({ reportedAt: { lt: reportedTo } }); // exclusive
  return and;
}
