import { PROVINCES } from '../common/provinces';
import { ESCALATION_CATEGORIES } from '../escalation/escalation.rules';
import { ITSM_STATUSES } from '../itsm/itsm.rules';
import { ORDER_STATUSES } from '../listriqu/listriqu.rules';
import { ROLES } from '../auth/roles';

// The answer shapes of API.md as OpenAPI 3.0 component schemas. The e2e suite validates every answer it
// receives against these (test/support/contract.ts), so a view that changes without its schema fails.
type Schema = Record<string, unknown>;

export const ref = (name: string): Schema => ({ $ref: `#/components/schemas/${name}` });
// OpenAPI 3.0 has no null type: a nullable reference is an object that is nullable and all of the referenced schema.
// (Spectral's example check reads it as never null, so the examples show these fields filled.)
const nullableRef = (name: string): Schema => ({ type: 'object', nullable: true, allOf: [ref(name)] });
const described = (name: string, description: string): Schema => ({ allOf: [ref(name)], description });
const str = (description?: string): Schema => ({ type: 'string', ...(description ? { description } : {}) });
const nullableStr = (description?: string): Schema => ({ ...str(description), nullable: true });
const time = (description?: string): Schema => ({ type: 'string', format: 'date-time', ...(description ? { description } : {}) });
const nullableTime = (description?: string): Schema => ({ ...time(description), nullable: true });
const date: Schema = { type: 'string', format: 'date' };
const int = (description?: string): Schema => ({ type: 'integer', ...(description ? { description } : {}) });
const bool: Schema = { type: 'boolean' };
// A nullable enum lists null among its values (OpenAPI 3.0.3 §4.7.25.1 `nullable`).
const oneOf = (values: readonly string[], nullable = false): Schema => ({ type: 'string', enum: nullable ? [...values, null] : [...values], ...(nullable ? { nullable } : {}) });
const list = (items: Schema): Schema => ({ type: 'array', items });
/** Every property of an answer is always present (null when empty). */
const object = (properties: Record<string, Schema>, description?: string, example?: unknown): Schema => ({
  type: 'object',
  ...(description ? { description } : {}),
  required: Object.keys(properties),
  properties,
  ...(example ? { example } : {}),
});

export const TICKET_STATUSES = ['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA', 'DIPROSES', 'SELESAI', 'DITUTUP', 'BATAL', 'ISSUE_CLOSED'] as const;
export const EVENT_TYPES = [
  'CREATED', 'STATUS_CHANGED', 'UPDATE_LAPOR', 'LAPOR_MELEBIHI_SLA', 'RE_REPORTED', 'CONFIRMED', 'AUTO_CLOSED', 'AUTO_TRANSFERRED',
  'ESCALATED', 'FORWARDED_TO_LISTRIQU', 'LISTRIQU_STATUS_CHANGED', 'LAPOR_ULANG_LISTRIQU', 'IML_CORRECTED', 'SLA_BREACHED',
  'ESCALATION_DONE', 'ATTACHED_TO_OUTAGE', 'DETACHED_FROM_OUTAGE', 'OUTAGE_ETR_CHANGED', 'RATED',
  'PERSONAL_DATA_ERASED', // R-P3, R-P4: the ticket's personal data was erased
] as const;
export const TREATMENTS = ['UPDATE_LAPOR', 'LAPOR_MELEBIHI_SLA', 'LAPOR_ULANG', 'ISSUE_CLOSED', 'LAPORAN_BARU', 'LAPOR_ULANG_LISTRIQU'] as const;
export const TICKET_NUMBER_PATTERN = '^[GK]\\d{13}$';

const TICKET_EXAMPLE = {
  number: 'G5422026000123', kind: 'GANGGUAN', unitCode: '542', channel: 'CC123', status: 'LAPOR',
  customer: { name: 'Budi', phone: '081234567890', idPel: '512345678901', meterNumber: null, address: 'Jl. Merdeka 1', province: 'JAWA BARAT' },
  problemType: 'PADAM_1_RUMAH', subType: null, woType: 'AUTODISPATCH', description: 'Listrik padam satu rumah sejak pagi', urgent: false,
  reportedAt: '2026-11-23T01:00:00.000Z', slaDeadline: '2026-11-23T04:00:00.000Z', overSla: false,
  resolvedAt: null, unitAnswer: null, confirmationDeadline: null, closedAt: null, closeReason: null, cancelReason: null,
  counters: { updateCount: 0, repeatCount: 0, jumlahLaporMelebihiSla: 0 },
  reReported: false, previousNumber: null, referenceNumber: null, callbackAt: null, transferredToNumber: null, transferredFromNumber: null,
  keterangan: null, successorNumber: null, respondedAt: null, nyalaAt: null, slaBreachedAt: null, outage: null, rating: null,
  version: 1, createdAt: '2026-11-23T01:00:00.000Z', updatedAt: '2026-11-23T01:00:00.000Z',
};
const ESCALATION_EXAMPLE = {
  id: '0b6f6a52-6c1f-4a8e-9d51-3f0f3c1f2a10', category: 'LAPOR_ULANG', status: 'OPEN', ticketNumber: 'G5422026000124',
  note: 'Lapor ulang ketiga', callbackAt: null, createdAt: '2026-11-23T05:00:00.000Z', claimedBy: null, claimedAt: null, leaseUntil: null, doneAt: null, doneNote: null,
};
const ORDER_EXAMPLE = {
  ticketNumber: 'G5422026000125', status: 'REQUEST', willingToPay: true, province: 'JAWA BARAT', address: 'Jl. Merdeka 1',
  preferredVisitDate: '2026-11-25', repeatCount: 0, createdAt: '2026-11-23T01:00:00.000Z', updatedAt: '2026-11-23T01:00:00.000Z',
};
const ITSM_EXAMPLE = {
  id: '5d1c3f1e-9b0a-4c55-8a37-0c2d8f7e6b21', itsmTicketId: '733905', callType: 'INCIDENT', category: 'Reset Password User', status: 'LOGGED',
  email: 'budi@example.com', customer: { name: 'Budi', phone: '081234567890', idPel: '512345678901' }, ticketNumbers: ['K5422026000007'],
  previousItsmTicketId: null, notes: [], createdAt: '2026-11-23T01:00:00.000Z', updatedAt: '2026-11-23T01:00:00.000Z',
};
const POLICY_EXAMPLE = { id: 'GANGGUAN.*.*', kind: 'GANGGUAN', problemType: null, subType: null, slaMinutes: 180, confirmationWindowMinutes: 1440, autoTransferMinutes: null, autoTransferProblemType: null, alwaysUrgent: false };
const page = (item: string, example: unknown): Schema =>
  object({ items: list(ref(item)), nextCursor: nullableStr('Pass as `cursor` for the next page; null on the last page.') }, `A page of ${item} items.`, { items: [example], nextCursor: null });

const ticketOutage: Schema = { ...object({ id: str(), title: str(), status: str(), etr: nullableTime() }, 'The outage this ticket follows (R-O2)'), nullable: true };
const ticketRating: Schema = { ...object({ score: { type: 'integer', minimum: 1, maximum: 5 }, comment: nullableStr(), at: time() }, 'R-L4'), nullable: true };

const ticket = object(
  {
    number: { type: 'string', pattern: TICKET_NUMBER_PATTERN },
    kind: oneOf(['GANGGUAN', 'KELUHAN']),
    unitCode: { type: 'string', pattern: '^\\d{3}$' },
    channel: oneOf(['CC123', 'PLN_MOBILE', 'OTHER']),
    status: oneOf(TICKET_STATUSES),
    customer: object({
      name: nullableStr(),
      phone: nullableStr(),
      idPel: nullableStr('12 digits'),
      meterNumber: nullableStr('11 digits'),
      address: nullableStr(),
      province: oneOf(PROVINCES, true),
    }),
    problemType: str('UPPER_SNAKE classification'),
    subType: nullableStr(),
    woType: oneOf(['AUTODISPATCH', 'IML_LISTRIQU', 'IML_NON_LISTRIQU'], true),
    description: str(),
    urgent: bool,
    reportedAt: time(),
    slaDeadline: time(),
    overSla: bool,
    resolvedAt: nullableTime(),
    unitAnswer: nullableStr(),
    confirmationDeadline: nullableTime(),
    closedAt: nullableTime(),
    closeReason: oneOf(['CONFIRMED', 'NO_CONFIRMATION', 'RE_REPORTED'], true),
    cancelReason: nullableStr('Free text, AUTO_TRANSFER or DITERUSKAN_KE_LISTRIQU'),
    counters: object({ updateCount: int(), repeatCount: int(), jumlahLaporMelebihiSla: int() }),
    reReported: bool,
    previousNumber: nullableStr('The ticket this one is a Lapor Ulang of'),
    referenceNumber: nullableStr('The earlier ticket a Laporan Baru or issue-closed report refers to'),
    callbackAt: nullableTime('When the customer asked to be called back (R-K2)'),
    transferredToNumber: nullableStr(),
    transferredFromNumber: nullableStr(),
    keterangan: nullableStr('Remarks (R-K2)'),
    successorNumber: nullableStr('R-R10'),
    respondedAt: nullableTime('R-M1'),
    nyalaAt: nullableTime('R-M1'),
    slaBreachedAt: nullableTime('R-M1'),
    outage: ticketOutage,
    rating: ticketRating,
    version: int('Raised by every change; the ETag and If-Match value'),
    createdAt: time(),
    updatedAt: time(),
  },
  'A Gangguan or Keluhan ticket (API.md Ticket).',
  TICKET_EXAMPLE,
);
// An app-problem create (R-A1…R-A4) answers with one more field.
(ticket.properties as Record<string, Schema>).itsmReference = { ...nullableRef('ItsmReference'), description: 'Only in the answer of an app-problem create (R-A2…R-A4)' };

const num = (description?: string): Schema => ({ type: 'number', ...(description ? { description } : {}) });
const nullableNum = (description?: string): Schema => ({ ...num(description), nullable: true });
const OUTAGE_EXAMPLE = {
  id: '8bbba4d0-0746-4848-8576-25c6ad8494d8', unitCode: '542', title: 'Penyulang KBN-07 trip', cause: 'Pohon tumbang', area: 'Desa Sukamaju, Sukamanah',
  etr: '2026-11-23T08:00:00.000Z', status: 'PENUGASAN', unitAnswer: null, cancelReason: null, ticketCount: 12, openTicketCount: 12,
  lastPropagation: { status: 'PENUGASAN', reached: 12, pending: 0 }, version: 1, createdAt: '2026-11-23T01:00:00.000Z', updatedAt: '2026-11-23T01:00:00.000Z', closedAt: null,
};
const minutes = () => object({ p50: nullableNum(), p90: nullableNum() });
const counts = (keys: readonly string[], description?: string) => object(Object.fromEntries(keys.map((k) => [k, int()])), description);
const UNIT_REPORT_EXAMPLE = {
  unitCode: '542', unitName: 'UP3 Bandung', from: '2026-11-01', to: '2026-11-30',
  received: { GANGGUAN: 120, KELUHAN: 30, byChannel: { CC123: 100, PLN_MOBILE: 45, OTHER: 5 } },
  openNow: 8, overSlaNow: 2, breached: 12, breachedPct: 8, respondedWithinSlaPct: 92.5,
  respondMinutes: { p50: 25, p90: 70 }, resolveMinutes: { p50: 95, p90: 170 }, jumlahLaporMelebihiSla: 4, updateCount: 20,
  reReports: Object.fromEntries(TREATMENTS.map((t) => [t, 1])),
  closings: { CONFIRMED: 90, NO_CONFIRMATION: 40, RE_REPORTED: 5 }, issueClosed: 6,
  escalations: Object.fromEntries(ESCALATION_CATEGORIES.map((c) => [c, { count: 1, doneMinutesP50: 30 }])),
  autoTransfers: 1, rating: { count: 10, mean: 4.2 },
};
const INDICATOR_EXAMPLE = { unitCode: '542', month: '2026-11', responseHours: { mean: 0.6, p90: 1.2, count: 120 }, outageHours: { mean: 2.1, p90: 3.5, count: 118 } };
const DAILY_EXAMPLE = { date: '2026-11-23', unitCode: '542', received: 7, resolved: 5, breached: 1, reReports: 2, escalations: 1 };
const CUSTOMER_TICKET_EXAMPLE = {
  number: 'G5422026000123', kind: 'GANGGUAN', status: 'SELESAI', reportedAt: '2026-11-23T01:00:00.000Z', unitAnswer: 'Sudah normal', successorNumber: null, outage: null, rating: null,
  timeline: [{ status: 'LAPOR', at: '2026-11-23T01:00:00.000Z' }, { status: 'SELESAI', at: '2026-11-23T03:00:00.000Z' }],
};
// R-L2: the ticket as the re-report would leave it; a new ticket has no number yet.
const previewTicket: Schema = {
  ...ticket,
  description: 'A Ticket as the re-report would leave it, not stored (`number` null for a new ticket).',
  properties: { ...(ticket.properties as Record<string, Schema>), number: { type: 'string', pattern: TICKET_NUMBER_PATTERN, nullable: true } },
};
delete previewTicket.example;

const WEBHOOK_PROPS: Record<string, Schema> = {
  id: str(),
  url: str(),
  description: nullableStr(),
  eventTypes: list(str()),
  unitCodes: list(str()),
  enabled: bool,
  disabledReason: nullableStr(),
  createdAt: time(),
  updatedAt: time(),
};
const WEBHOOK_EXAMPLE = {
  id: '6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c', url: 'https://hooks.example.com/apkt', description: 'Dashboard', eventTypes: ['ticket.created'], unitCodes: ['542'],
  enabled: true, disabledReason: null, createdAt: '2026-12-04T01:00:00.000Z', updatedAt: '2026-12-04T01:00:00.000Z',
};
const MESSAGE_EXAMPLE = {
  id: 'msg_2f0c1d9e8b7a4c5d6e7f8a9b0c1d2e3f', channel: 'WEBHOOK', type: 'ticket.created', status: 'DELIVERED', unitCode: '542',
  createdAt: '2026-12-04T01:00:00.000Z', deliveredAt: '2026-12-04T01:00:00.200Z', nextAttemptAt: null,
  attempts: [{ at: '2026-12-04T01:00:00.000Z', statusCode: 200, durationMs: 35, error: null, answer: 'ok' }],
};
const MESSAGE_BASE = object(
  {
    id: str('The webhook-id of every attempt'),
    channel: oneOf(['WEBHOOK', 'EMAIL']),
    type: str(),
    status: oneOf(['PENDING', 'DELIVERED', 'FAILED', 'KEPT']),
    unitCode: nullableStr('The unit the message is about (an addition)'),
    createdAt: time(),
    deliveredAt: nullableTime(),
    nextAttemptAt: nullableTime(),
    attempts: list(object({ at: time(), statusCode: { ...int(), nullable: true }, durationMs: int(), error: nullableStr(), answer: nullableStr('The first 1 KiB of the answer') })),
  },
  'A webhook or mail of the outbox with its attempts (R-W5, R-W7); mails also carry subject and to.',
  MESSAGE_EXAMPLE,
);
const MESSAGE_SCHEMA: Schema = { ...MESSAGE_BASE, properties: { ...(MESSAGE_BASE.properties as Record<string, Schema>), subject: nullableStr('Mail only'), to: { ...list(str()), description: 'Mail only' } } };
export const SCHEMAS: Record<string, Schema> = {
  Ticket: ticket,
  TicketPage: page('Ticket', TICKET_EXAMPLE),
  Event: object(
    {
      id: str(),
      ticketNumber: str(),
      type: oneOf(EVENT_TYPES),
      fromStatus: oneOf(TICKET_STATUSES, true),
      toStatus: oneOf(TICKET_STATUSES, true),
      note: nullableStr(),
      actor: object({ sub: str(), role: oneOf([...ROLES, 'system']), name: nullableStr('R-U3: the display name of the person who acted; null for systems and scheduled jobs') }),
      occurredAt: time(),
      recordedAt: time('When the service received the event'),
    },
    'One entry of a ticket history (R-T6).',
  ),
  EventList: object({ items: list(ref('Event')) }, 'A ticket history, oldest first.', {
    items: [{ id: '1', ticketNumber: 'G5422026000123', type: 'CREATED', fromStatus: null, toStatus: 'LAPOR', note: null, actor: { sub: 'cso-1', role: 'cso', name: 'Sari Wulandari' }, occurredAt: '2026-11-23T01:00:00.000Z', recordedAt: '2026-11-23T01:00:00.000Z' }],
  }),
  Escalation: object(
    {
      id: str(),
      category: oneOf(ESCALATION_CATEGORIES),
      status: oneOf(['OPEN', 'CLAIMED', 'DONE']),
      ticketNumber: nullableStr(),
      note: str(),
      callbackAt: nullableTime(),
      createdAt: time(),
      claimedBy: nullableStr(),
      claimedAt: nullableTime(),
      leaseUntil: nullableTime(),
      doneAt: nullableTime(),
      doneNote: nullableStr(),
    },
    'An item of the back-office queue.',
    ESCALATION_EXAMPLE,
  ),
  EscalationPage: page('Escalation', ESCALATION_EXAMPLE),
  Order: object(
    {
      ticketNumber: str(),
      status: oneOf(ORDER_STATUSES),
      willingToPay: bool,
      province: oneOf(PROVINCES),
      address: nullableStr(),
      preferredVisitDate: { ...date, nullable: true },
      repeatCount: int(),
      createdAt: time(),
      updatedAt: time(),
    },
    'A ListriQu order (R-I2…R-I5).',
    ORDER_EXAMPLE,
  ),
  OrderPage: page('Order', ORDER_EXAMPLE),
  Coverage: object({ province: oneOf(PROVINCES), startDate: date }, 'Where and since when ListriQu serves (R-I1).', { province: 'JAWA BARAT', startDate: '2021-04-05' }),
  CoverageList: object({ items: list(ref('Coverage')) }, 'Every covered province.', { items: [{ province: 'JAWA BARAT', startDate: '2021-04-05' }] }),
  ItsmReference: object(
    {
      id: str('Ours, not the ITSM ticket id'),
      itsmTicketId: str(),
      callType: oneOf(['INCIDENT', 'SERVICE_REQUEST']),
      category: str(),
      status: oneOf(ITSM_STATUSES),
      email: str(),
      customer: object({ name: str(), phone: str(), idPel: nullableStr() }),
      ticketNumbers: list(str()),
      previousItsmTicketId: nullableStr(),
      notes: list(object({ note: str(), by: str(), at: time() })),
      createdAt: time(),
      updatedAt: time(),
    },
    'A reference to a ticket of the ITSM application (R-A2…R-A5).',
    ITSM_EXAMPLE,
  ),
  ItsmReferencePage: page('ItsmReference', ITSM_EXAMPLE),
  Unit: (() => {
    const unit = object(
      {
        code: { type: 'string', pattern: '^\\d{2,5}$', description: 'a ULP: 3 digits; a UID or UP3: 2–5 digits (R-H1)' },
        name: str(),
        timeZone: str('IANA zone'),
        level: oneOf(['UID', 'UP3', 'ULP']),
        parentCode: { type: 'string', pattern: '^\\d{2,5}$', nullable: true, description: 'the unit one level up; null for a UID and a ULP not placed yet' },
        notifyEmails: { ...list({ type: 'string', format: 'email' }), description: 'the over-SLA mail addresses (R-W7); shown to admin only' },
      },
      'A PLN unit in the tree UID → UP3 → ULP (R-H1).',
      { code: '542', name: 'ULP Bandung Utara', timeZone: 'Asia/Jakarta', level: 'ULP', parentCode: '5401', notifyEmails: ['dm@example.com'] },
    );
    return { ...unit, required: (unit.required as string[]).filter((k) => k !== 'notifyEmails') };
  })(),
  UnitList: object({ items: list(ref('Unit')) }, 'The units (filtered by parentCode and level when asked).', {
    items: [{ code: '542', name: 'ULP Bandung Utara', timeZone: 'Asia/Jakarta', level: 'ULP', parentCode: '5401' }],
  }),
  Policy: object(
    {
      id: str('<KIND>.<problemType or *>.<subType or *>'),
      kind: oneOf(['GANGGUAN', 'KELUHAN']),
      problemType: nullableStr(),
      subType: nullableStr(),
      slaMinutes: int(),
      confirmationWindowMinutes: int(),
      autoTransferMinutes: { ...int('null: never'), nullable: true },
      autoTransferProblemType: nullableStr('R-J2'),
      alwaysUrgent: bool,
    },
    'SLA and confirmation settings of a classification (R-S1).',
    POLICY_EXAMPLE,
  ),
  PolicyList: object({ items: list(ref('Policy')) }, 'Every policy.', { items: [POLICY_EXAMPLE] }),
  ReReportAnswer: object(
    {
      treatment: oneOf(TREATMENTS),
      ticket: described('Ticket', 'The new ticket, or the changed previous one for UPDATE_LAPOR and LAPOR_MELEBIHI_SLA'),
      previous: ref('Ticket'),
      escalations: list(ref('Escalation')),
      order: { ...nullableRef('Order'), description: 'Only for LAPOR_ULANG_LISTRIQU' },
    },
    'What a re-report did (R-R1…R-R8, R-I4).',
    { treatment: 'LAPOR_ULANG', ticket: { ...TICKET_EXAMPLE, number: 'G5422026000124', previousNumber: 'G5422026000123', reReported: true }, previous: { ...TICKET_EXAMPLE, status: 'DITUTUP', closeReason: 'RE_REPORTED', version: 4 }, escalations: [], order: ORDER_EXAMPLE },
  ),
  ConfirmationAnswer: object({ ticket: ref('Ticket'), newTicket: nullableRef('Ticket') }, 'The confirmed ticket and, when not resolved, the new one (R-C2).', {
    ticket: { ...TICKET_EXAMPLE, status: 'DITUTUP', closeReason: 'RE_REPORTED', version: 4 },
    newTicket: { ...TICKET_EXAMPLE, number: 'G5422026000124', previousNumber: 'G5422026000123' },
  }),
  ImlCorrectionAnswer: object({ ticket: ref('Ticket'), order: ref('Order') }, 'The issue-closed Keluhan of the correction and the order (R-I3).', {
    ticket: { ...TICKET_EXAMPLE, number: 'K5422026000009', kind: 'KELUHAN', status: 'ISSUE_CLOSED', woType: null, problemType: 'INFORMASI' },
    order: ORDER_EXAMPLE,
  }),
  Outage: object(
    {
      id: str(),
      unitCode: { type: 'string', pattern: '^\\d{3}$' },
      title: str(),
      cause: str(),
      area: str(),
      etr: nullableTime('Estimated time of restoration'),
      status: oneOf(TICKET_STATUSES),
      unitAnswer: nullableStr('Set when the outage reached SELESAI'),
      cancelReason: nullableStr('Set when the outage was cancelled (BATAL); an addition to API.md'),
      ticketCount: int('Tickets that ever joined'),
      openTicketCount: int('Attached tickets not yet terminal'),
      lastPropagation: object({ status: oneOf(TICKET_STATUSES), reached: int('Tickets already moved'), pending: int('Tickets still to move') }, 'The latest status move and how far its propagation got (R-O3)'),
      version: int('Raised by every change; the ETag and If-Match value'),
      createdAt: time(),
      updatedAt: time(),
      closedAt: nullableTime(),
    },
    'A mass outage of a unit (API.md Outage, R-O1).',
    OUTAGE_EXAMPLE,
  ),
  OutagePage: page('Outage', OUTAGE_EXAMPLE),
  OutageAttachAnswer: object(
    {
      attached: list(str()),
      refused: list(object({ number: str(), reason: oneOf(['NOT_FOUND', 'OTHER_UNIT', 'NOT_GANGGUAN', 'ALREADY_ATTACHED', 'IN_ANOTHER_OUTAGE', 'NOT_OPEN']) })),
    },
    'The numbers attached and those refused with their reason (R-O2).',
    { attached: ['G5422026000123'], refused: [{ number: 'K5422026000007', reason: 'NOT_GANGGUAN' }] },
  ),
  UnitReport: object(
    {
      unitCode: { type: 'string', pattern: '^\\d{2,5}$', description: 'a ULP, or the UP3/UID asked for (its roll-up, R-H3)' },
      unitName: str('An addition to API.md'),
      from: date,
      to: date,
      received: object({ GANGGUAN: int(), KELUHAN: int(), byChannel: counts(['CC123', 'PLN_MOBILE', 'OTHER']) }),
      openNow: int(),
      overSlaNow: int(),
      breached: int(),
      breachedPct: nullableNum('null when nothing was received'),
      respondedWithinSlaPct: nullableNum('null when nothing was responded to'),
      respondMinutes: minutes(),
      resolveMinutes: minutes(),
      jumlahLaporMelebihiSla: int(),
      updateCount: int(),
      reReports: counts(TREATMENTS, 'Re-reports by treatment'),
      closings: counts(['CONFIRMED', 'NO_CONFIRMATION', 'RE_REPORTED']),
      issueClosed: int(),
      escalations: object(Object.fromEntries(ESCALATION_CATEGORIES.map((c) => [c, object({ count: int(), doneMinutesP50: nullableNum() })])), 'Escalations by category'),
      autoTransfers: int(),
      rating: object({ count: int(), mean: nullableNum() }),
    },
    'A unit’s report for a period (API.md UnitReport, R-M2).',
    UNIT_REPORT_EXAMPLE,
  ),
  UnitReportList: object({ items: list(ref('UnitReport')) }, 'One report per unit.', { items: [UNIT_REPORT_EXAMPLE] }),
  IndicatorList: object(
    {
      items: list(
        object({
          unitCode: { type: 'string', pattern: '^\\d{2,5}$' },
          month: { type: 'string', pattern: '^\\d{4}-\\d{2}$' },
          responseHours: object({ mean: nullableNum(), p90: nullableNum(), count: int() }),
          outageHours: object({ mean: nullableNum(), p90: nullableNum(), count: int() }),
        }),
      ),
    },
    "The regulator's indicators of Gangguan per unit and month (R-M3).",
    { items: [INDICATOR_EXAMPLE] },
  ),
  DailyList: object(
    {
      items: list(object({ date, unitCode: { type: 'string', pattern: '^\\d{2,5}$' }, received: int(), resolved: int(), breached: int(), reReports: int(), escalations: int() })),
    },
    'Daily counts per unit (R-M4).',
    { items: [DAILY_EXAMPLE] },
  ),
  TicketChangesPage: object(
    { items: list(ref('Ticket')), position: str('Pass as the next `after`') },
    'The tickets whose latest change comes after `after`, in commit order (R-F1, R-F2).',
    { items: [TICKET_EXAMPLE], position: '1:0' },
  ),
  CustomerHistory: object(
    {
      customers: list(object({ name: nullableStr(), phone: nullableStr(), idPel: nullableStr(), meterNumber: nullableStr() })),
      tickets: list(ref('Ticket')),
      orders: list(ref('Order')),
      itsmReferences: list(ref('ItsmReference')),
      escalations: list(ref('Escalation')),
    },
    'A customer’s history, each list newest first, at most 50 each (R-L1).',
    {
      customers: [{ name: 'Budi', phone: '081234567890', idPel: '512345678901', meterNumber: null }],
      tickets: [TICKET_EXAMPLE], orders: [ORDER_EXAMPLE], itsmReferences: [ITSM_EXAMPLE], escalations: [ESCALATION_EXAMPLE],
    },
  ),
  CustomerTicketList: object(
    {
      items: list(
        object({
          number: { type: 'string', pattern: TICKET_NUMBER_PATTERN },
          kind: oneOf(['GANGGUAN', 'KELUHAN']),
          status: oneOf(TICKET_STATUSES),
          reportedAt: time(),
          unitAnswer: nullableStr(),
          successorNumber: nullableStr('R-R10'),
          outage: ticketOutage,
          rating: ticketRating,
          timeline: list(object({ status: oneOf(TICKET_STATUSES), at: time() })),
        }),
      ),
    },
    'PLN Mobile: a customer’s tickets with their status timelines, newest first, at most 50 (R-L3).',
    { items: [CUSTOMER_TICKET_EXAMPLE] },
  ),
  ReReportPreview: object(
    {
      treatment: oneOf(TREATMENTS),
      ticket: previewTicket,
      escalations: list(object({ category: oneOf(ESCALATION_CATEGORIES), note: str() })),
    },
    'What a re-report would do now; nothing is stored (R-L2).',
    { treatment: 'LAPOR_ULANG', ticket: { ...TICKET_EXAMPLE, number: 'G5422026000124', previousNumber: 'G5422026000123', reReported: true }, escalations: [{ category: 'LAPOR_ULANG', note: 'Lapor ulang ketiga' }] },
  ),
  // R-W1…R-W7 (src/outbound)
  Webhook: object(WEBHOOK_PROPS, 'A webhook endpoint (R-W1).', WEBHOOK_EXAMPLE),
  WebhookWithSecret: object({ ...WEBHOOK_PROPS, secret: str('whsec_…: shown only at creation and rotation (R-W3)') }, 'A webhook endpoint with its secret.', { ...WEBHOOK_EXAMPLE, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' }),
  WebhookList: object({ items: list(ref('Webhook')) }, 'Every webhook endpoint.', { items: [WEBHOOK_EXAMPLE] }),
  OutboundMessage: MESSAGE_SCHEMA,
  OutboundMessagePage: page('OutboundMessage', MESSAGE_EXAMPLE),
  ReplayAnswer: object({ queued: int() }, 'How many messages were queued again (R-W5).', { queued: 3 }),
  Health: object({ status: oneOf(['ok']) }, 'The process (live) or the database (ready) answers.', { status: 'ok' }),
  ConsoleSignIn: object(
    {
      issuer: nullableStr('The OpenID Connect issuer the console signs people in at (OIDC_ISSUER; in development mode the embedded provider); null when none is configured'),
      clientId: str('The console’s public client (OIDC_CONSOLE_CLIENT_ID)'),
      scope: str('The scope the console asks for (OIDC_CONSOLE_SCOPE)'),
      rolesClaim: str('Dotted path of the roles claim in the access token (OIDC_ROLES_CLAIM)'),
      unitClaim: str('Dotted path of the unit claim in the access token (OIDC_UNIT_CLAIM)'),
    },
    'How the operator console signs people in (R-U5).',
    { issuer: 'http://localhost:3001', clientId: 'apkt-console', scope: 'openid profile', rolesClaim: 'role', unitClaim: 'unit' },
  ),
  FieldError: object({ field: str('Path of the field, e.g. customer.idPel'), message: str() }),
  Problem: {
    type: 'object',
    description: 'RFC 9457 problem details; `type` is documented in docs/problems.md.',
    required: ['type', 'title', 'status', 'detail', 'instance'],
    properties: {
      type: { type: 'string', format: 'uri' },
      title: str(),
      status: int(),
      detail: str(),
      instance: str('The request path'),
      errors: { ...list(ref('FieldError')), description: 'For validation failures (400)' },
      requestId: str('On a 500: the X-Request-Id of the request'),
    },
    example: { type: 'https://apkt.pln.co.id/problems/not-found', title: 'Not found', status: 404, detail: 'Ticket not found', instance: '/api/v1/tickets/G5422026000999' },
  },
  // R-P1…R-P3 (docs/privacy.md)
  PersonalDataExport: object(
    {
      subject: object(
        {
          idPel: nullableStr('As asked'),
          phone: nullableStr('As asked'),
          names: list(str()),
          phones: list(str()),
          idPels: list(str()),
          meterNumbers: list(str()),
          addresses: list(str()),
          emails: list(str()),
        },
        'Every identifier held of the customer, each once',
      ),
      exportedAt: time(),
      tickets: list({ ...ticket, description: 'A Ticket with its history', example: { ...TICKET_EXAMPLE, events: [] }, required: [...(ticket.required as string[]), 'events'], properties: { ...(ticket.properties as Record<string, Schema>), events: list(ref('Event')) } }),
      orders: list(ref('Order')),
      itsmReferences: list(ref('ItsmReference')),
      escalations: list(ref('Escalation')),
    },
    'Everything held about one customer (R-P2).',
    {
      subject: { idPel: '512345678901', phone: null, names: ['Budi'], phones: ['081234567890'], idPels: ['512345678901'], meterNumbers: [], addresses: ['Jl. Merdeka 1'], emails: [] },
      exportedAt: '2026-11-23T01:00:00.000Z', tickets: [], orders: [], itsmReferences: [], escalations: [],
    },
  ),
  Erasure: object(
    { id: str(), erasedAt: time(), by: str('The sub of the admin (system for R-P4)'), reason: str(), records: int('Rows changed: tickets, notes, orders, references, escalations') },
    'An erasure as recorded, without the data it erased (R-P3).',
    { id: '7e0c9a4e-2f1b-4d7a-9c55-1a2b3c4d5e6f', erasedAt: '2026-11-23T01:00:00.000Z', by: 'admin-1', reason: 'Permintaan pelanggan', records: 7 },
  ),
  AccessLogPage: object(
    {
      items: list(object({ at: time(), sub: str(), role: str(), endpoint: str('Method and route template'), requestId: str(), ticketNumbers: list(str()) })),
      nextCursor: nullableStr(),
    },
    'Who was shown whose personal data, newest first (R-P1).',
    { items: [{ at: '2026-11-23T01:00:00.000Z', sub: 'cso-1', role: 'cso', endpoint: 'GET /api/v1/customers/history', requestId: 'b1c2', ticketNumbers: ['G5422026000123'] }], nextCursor: null },
  ),
};
