import type { SchemaObject } from '@nestjs/swagger';
import { SEARCHABLE_PHONE } from '../../common/phone';

// How each query parameter of API.md is described in /docs-json. @QueryParams (src/http/query-params.ts)
// emits the parameters a route takes from here, so a new GET route is described by naming them.
export interface QueryDoc {
  description: string;
  schema: SchemaObject;
  required?: boolean;
}

const text = (description: string, schema: SchemaObject = { type: 'string' }): QueryDoc => ({ description, schema });
const time = (description: string) => text(`${description} (ISO 8601 with an offset)`, { type: 'string', format: 'date-time' });
const bool = (description: string) => text(description, { type: 'string', enum: ['true', 'false'] });
const day = (description: string) => text(description, { type: 'string', format: 'date' });
const required = (doc: QueryDoc): QueryDoc => ({ ...doc, required: true });
const CLASSIFICATION = { type: 'string', pattern: '^[A-Z0-9_]{1,64}$' } as const;

/** A phone number exactly as intake stores it (the ITSM references' filter). */
export const EXACT_PHONE: QueryDoc = text('Phone number, 8–15 digits with an optional leading +', { type: 'string', pattern: '^\\+?\\d{8,15}$' });

/** A comma-separated (or repeated) list of enum values, e.g. `?status=LAPOR,PENUGASAN`. */
export const enumList = (description: string, values: readonly string[]): QueryDoc => ({
  description: `${description}; comma-separated or repeated`,
  schema: { type: 'array', minItems: 1, items: { type: 'string', enum: [...values] } },
});

export const QUERY_DOCS: Record<string, QueryDoc> = {
  limit: text('Page size, 1–200 (default 50)', { type: 'integer', minimum: 1, maximum: 200, default: 50 }),
  cursor: text('The `nextCursor` of the previous page (opaque)'),
  unitCode: text('Unit code of any level: a ULP (3 digits), or a UP3/UID (2–5 digits) for every ULP beneath it (R-H3); a unit caller is limited to its own subtree (R-H2)', { type: 'string', pattern: '^\\d{2,5}$' }),
  parentCode: text('Only the units directly beneath this one (R-H1)', { type: 'string', pattern: '^\\d{2,5}$' }),
  level: text('Only the units of this level (R-H1)', { type: 'string', enum: ['UID', 'UP3', 'ULP'] }),
  status: text('Statuses to include; comma-separated'),
  kind: text('GANGGUAN or KELUHAN', { type: 'string', enum: ['GANGGUAN', 'KELUHAN'] }),
  open: bool('true: only tickets not yet terminal'),
  overSla: bool('true: only tickets past their SLA deadline'),
  updatedSince: time('Only items changed at or after this time'),
  category: text('Escalation categories to include; comma-separated'),
  idPel: text('Customer ID Pel, 12 digits', { type: 'string', pattern: '^\\d{12}$' }),
  meterNumber: text('Meter number, 11 digits', { type: 'string', pattern: '^\\d{11}$' }),
  phone: text('Phone number, 8–15 digits, optionally with +, spaces, dashes, dots or brackets', { type: 'string', pattern: SEARCHABLE_PHONE.source }),
  name: text('Customer name, at least 3 characters besides spaces, at most 200', { type: 'string', minLength: 3, maxLength: 200, pattern: '^\\s*\\S(\\s*\\S){2}' }),
  number: text('Ticket number', { type: 'string', pattern: '^[GK]\\d{13}$' }),
  urgent: bool('Only urgent (true) or only not urgent (false) tickets'),
  reReported: bool('Only re-reported (true) or only not re-reported (false) tickets'),
  problemType: text('UPPER_SNAKE problem type', CLASSIFICATION),
  subType: text('UPPER_SNAKE sub type', CLASSIFICATION),
  channel: text('Intake channel', { type: 'string', enum: ['CC123', 'PLN_MOBILE', 'OTHER'] }),
  reportedFrom: time('Reported at or after'),
  reportedTo: time('Reported before'),
  reportedAt: time('When the customer reports again (default now)'),
  note: text('The agent’s note, as the re-report takes it (up to 4,000 characters)', { type: 'string', maxLength: 4000 }),
  customerDisputesUnitAnswer: bool('R-R5: the customer disputes the unit answer'),
  unitAnswerUnclear: bool('R-R5: the unit answer is unclear'),
  outageId: text('Outage id', { type: 'string', format: 'uuid' }),
  active: bool('true: only outages not yet closed'),
  after: text('A `position` of an earlier answer (omitted: from the beginning)'),
  from: required(day('First day, YYYY-MM-DD')),
  to: required(day('Last day, YYYY-MM-DD; not before `from`, at most 366 days after it')),
  month: required(text('Month, YYYY-MM', { type: 'string', pattern: '^\\d{4}-(0[1-9]|1[0-2])$' })),
};

/** The description of a path parameter, by its name. */
export const PATH_DOCS: Record<string, QueryDoc> = {
  number: text('Ticket number, e.g. G5422026000123', { type: 'string', pattern: '^[GK]\\d{13}$' }),
  ticketNumber: text('Number of the ticket the order belongs to', { type: 'string', pattern: '^[GK]\\d{13}$' }),
  id: text('Identifier of the resource (ours)'),
  code: text('Unit code: a ULP 3 digits, a UP3 or UID 2–5 digits (R-H1)', { type: 'string', pattern: '^\\d{2,5}$' }),
  province: text('Province key, upper-case (matched ignoring case)'),
  messageId: text('Identifier of an outbound message (its webhook-id), e.g. msg_…'),
};
