/**
 * TEMPORARY — delete each entry once the OpenAPI document describes its answer (issue 19).
 *
 * The service's document (generated into schema.d.ts at build time) does not yet describe the answers
 * of the operations below (their 200 bodies are empty objects there); another branch completes it.
 * Until then the console types the answers here, copied from API.md. Request bodies (`Schemas[...]`)
 * and, where the document has them, parameters (`ParamsOf<path, method>`) are already taken from
 * the document, so a change to them breaks the console's type check today. Once the document describes
 * these answers, delete this file, make `ConsolePaths` in contract.ts plain `paths`, and point types.ts
 * at `components['schemas']`.
 */
import type { components, paths } from './schema';

type Schemas = components['schemas'];
type Headers = { [name: string]: unknown };
type Json<T> = { headers: Headers; content: { 'application/json': T } };
type NoContent = { headers: Headers; content?: never };
type Fails = { 400: ProblemAnswer; 401: ProblemAnswer; 403: ProblemAnswer; 404: ProblemAnswer; 409: ProblemAnswer; 412: ProblemAnswer };
type ProblemAnswer = { headers: Headers; content: { 'application/problem+json': Problem } };

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  errors?: { field: string; message: string }[];
}

export type TicketStatus =
  | 'LAPOR' | 'PENUGASAN' | 'PERJALANAN' | 'PENGERJAAN' | 'NYALA_SEMENTARA' | 'NYALA'
  | 'DIPROSES' | 'SELESAI' | 'DITUTUP' | 'BATAL' | 'ISSUE_CLOSED';
export type TicketKind = 'GANGGUAN' | 'KELUHAN';

/** API.md "Ticket". */
export interface Ticket {
  number: string;
  kind: TicketKind;
  unitCode: string;
  channel: 'CC123' | 'PLN_MOBILE' | 'OTHER';
  status: TicketStatus;
  customer: { name: string | null; phone: string | null; idPel: string | null; meterNumber: string | null; address: string | null; province: string | null };
  problemType: string;
  subType: string | null;
  woType: string | null;
  description: string;
  urgent: boolean;
  reportedAt: string;
  slaDeadline: string;
  overSla: boolean;
  resolvedAt: string | null;
  unitAnswer: string | null;
  confirmationDeadline: string | null;
  closedAt: string | null;
  closeReason: 'CONFIRMED' | 'NO_CONFIRMATION' | 'RE_REPORTED' | null;
  cancelReason: string | null;
  counters: { updateCount: number; repeatCount: number; jumlahLaporMelebihiSla: number };
  reReported: boolean;
  previousNumber: string | null;
  referenceNumber: string | null;
  callbackAt: string | null;
  keterangan: string | null;
  successorNumber: string | null;
  outage: { id: string; title: string; status: string; etr: string | null } | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export type Treatment = 'UPDATE_LAPOR' | 'LAPOR_MELEBIHI_SLA' | 'LAPOR_ULANG' | 'ISSUE_CLOSED' | 'LAPORAN_BARU' | 'LAPOR_ULANG_LISTRIQU';
export type EscalationCategory = 'LAPOR_ULANG' | 'LAPORAN_MELEBIHI_SLA' | 'URGENT' | 'CALLBACK_PELANGGAN' | 'REQUEST_CALLBACK';

/** API.md "Escalation". */
export interface Escalation {
  id: string;
  category: EscalationCategory;
  status: 'OPEN' | 'CLAIMED' | 'DONE';
  ticketNumber: string | null;
  note: string;
  callbackAt: string | null;
  createdAt: string;
  claimedBy: string | null;
  claimedAt: string | null;
  leaseUntil: string | null;
  doneAt: string | null;
  doneNote: string | null;
}

export interface ReReportAnswer {
  treatment: Treatment;
  ticket: Ticket;
  previous: Ticket;
  escalations: Escalation[];
}

/** API.md "Lookup" (R-L1): one customer as the history names them. */
export interface CustomerSummary {
  name: string | null;
  phone: string | null;
  idPel: string | null;
  meterNumber: string | null;
}

/** GET /customers/history; the console shows customers and tickets (orders etc. are counted). */
export interface CustomerHistory {
  customers: CustomerSummary[];
  tickets: Ticket[];
  orders: unknown[];
  itsmReferences: unknown[];
  escalations: Escalation[];
}

/** GET /tickets/{n}/re-report-preview (R-L2): the re-report as it would happen, nothing stored. */
export interface ReReportPreview {
  treatment: Treatment;
  ticket: Omit<Ticket, 'number'> & { number: string | null };
  escalations: { category: EscalationCategory; note: string }[];
}

/** API.md "Outage" (R-O1…R-O4); `lastPropagation`: how far the latest status move got (R-O3). */
export interface Outage {
  id: string;
  unitCode: string;
  title: string;
  cause: string;
  area: string;
  etr: string | null;
  status: TicketStatus;
  unitAnswer: string | null;
  cancelReason: string | null;
  ticketCount: number;
  openTicketCount: number;
  lastPropagation: { status: TicketStatus; reached: number; pending: number };
  version: number;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
}

export interface AttachAnswer {
  attached: string[];
  refused: { number: string; reason: string }[];
}

type P50P90 = { p50: number | null; p90: number | null };
/** API.md "UnitReport" (R-M2). */
export interface UnitReport {
  unitCode: string;
  from: string;
  to: string;
  received: { GANGGUAN: number; KELUHAN: number; byChannel: { CC123: number; PLN_MOBILE: number; OTHER: number } };
  openNow: number;
  overSlaNow: number;
  breached: number;
  breachedPct: number | null;
  respondedWithinSlaPct: number | null;
  respondMinutes: P50P90;
  resolveMinutes: P50P90;
  jumlahLaporMelebihiSla: number;
  updateCount: number;
  reReports: Record<string, number>;
  closings: { CONFIRMED: number; NO_CONFIRMATION: number; RE_REPORTED: number };
  issueClosed: number;
  escalations: Record<string, { count: number; doneMinutesP50: number | null }>;
  autoTransfers: number;
  rating: { count: number; mean: number | null };
}

type MeanP90 = { mean: number | null; p90: number | null; count: number };
/** R-M3 */
export interface IndicatorRow {
  unitCode: string;
  month: string;
  responseHours: MeanP90;
  outageHours: MeanP90;
}

/** R-M4 */
export interface DailyRow {
  date: string;
  unitCode: string;
  received: number;
  resolved: number;
  breached: number;
  reReports: number;
  escalations: number;
}

export interface Unit {
  code: string;
  name: string;
  timeZone: string;
}

/** API.md "List": the filters the console uses. */
export interface TicketListQuery {
  unitCode?: string;
  status?: string;
  kind?: TicketKind;
  open?: boolean;
  overSla?: boolean;
  updatedSince?: string;
  limit?: number;
  cursor?: string;
}

type ByNumber = { path: { number: string }; query?: never; header?: never; cookie?: never };
type NoParams = { path?: never; query?: never; header?: never; cookie?: never };

/** The document's parameters of an operation, found by path and method (operation ids may be renamed). */
type ParamsOf<P extends keyof paths, M extends 'get' | 'post' | 'patch'> = paths[P] extends { [m in M]: { parameters: infer X } } ? X : never;
type Items<T> = Json<{ items: T[] }>;

export interface PendingPaths {
  '/api/v1/outages': {
    get: { parameters: ParamsOf<'/api/v1/outages', 'get'>; requestBody?: never; responses: { 200: Json<{ items: Outage[]; nextCursor: string | null }> } & Fails };
    post: { parameters: NoParams; requestBody: { content: { 'application/json': Schemas['CreateOutageDto'] } }; responses: { 201: Json<Outage> } & Fails };
  };
  '/api/v1/outages/{id}': {
    get: { parameters: ParamsOf<'/api/v1/outages/{id}', 'get'>; requestBody?: never; responses: { 200: Json<Outage> } & Fails };
    patch: { parameters: ParamsOf<'/api/v1/outages/{id}', 'patch'>; requestBody: { content: { 'application/json': Schemas['UpdateOutageDto'] } }; responses: { 200: Json<Outage> } & Fails };
  };
  '/api/v1/outages/{id}/tickets': {
    post: { parameters: ParamsOf<'/api/v1/outages/{id}/tickets', 'post'>; requestBody: { content: { 'application/json': Schemas['AttachTicketsDto'] } }; responses: { 200: Json<AttachAnswer> } & Fails };
  };
  '/api/v1/outages/{id}/status': {
    post: { parameters: ParamsOf<'/api/v1/outages/{id}/status', 'post'>; requestBody: { content: { 'application/json': Schemas['OutageStatusDto'] } }; responses: { 202: Json<Outage> } & Fails };
  };
  '/api/v1/reports/units': {
    get: { parameters: ParamsOf<'/api/v1/reports/units', 'get'>; requestBody?: never; responses: { 200: Items<UnitReport> } & Fails };
  };
  '/api/v1/reports/indicators': {
    get: { parameters: ParamsOf<'/api/v1/reports/indicators', 'get'>; requestBody?: never; responses: { 200: Items<IndicatorRow> } & Fails };
  };
  '/api/v1/reports/daily': {
    get: { parameters: ParamsOf<'/api/v1/reports/daily', 'get'>; requestBody?: never; responses: { 200: Items<DailyRow> } & Fails };
  };
  '/api/v1/customers/history': {
    get: {
      parameters: ParamsOf<'/api/v1/customers/history', 'get'>;
      requestBody?: never;
      responses: { 200: Json<CustomerHistory> } & Fails;
    };
  };
  '/api/v1/tickets/{number}/re-report-preview': {
    get: {
      parameters: ParamsOf<'/api/v1/tickets/{number}/re-report-preview', 'get'>;
      requestBody?: never;
      responses: { 200: Json<ReReportPreview> } & Fails;
    };
  };
  '/api/v1/tickets': {
    get: {
      parameters: { query?: TicketListQuery; path?: never; header?: never; cookie?: never };
      requestBody?: never;
      responses: { 200: Json<{ items: Ticket[]; nextCursor: string | null }>; 304: NoContent } & Fails;
    };
    post: {
      parameters: NoParams;
      requestBody: { content: { 'application/json': Schemas['CreateTicketDto'] } };
      responses: { 201: Json<Ticket> } & Fails;
    };
  };
  '/api/v1/tickets/{number}': {
    get: { parameters: ByNumber; requestBody?: never; responses: { 200: Json<Ticket> } & Fails };
  };
  '/api/v1/tickets/{number}/status': {
    post: {
      parameters: ByNumber;
      requestBody: { content: { 'application/json': Schemas['StatusMoveDto'] } };
      responses: { 200: Json<Ticket> } & Fails;
    };
  };
  '/api/v1/tickets/{number}/re-reports': {
    post: {
      parameters: ByNumber;
      requestBody: { content: { 'application/json': Schemas['ReReportDto'] } };
      responses: { 201: Json<ReReportAnswer> } & Fails;
    };
  };
  '/api/v1/units': {
    get: { parameters: NoParams; requestBody?: never; responses: { 200: Json<{ items: Unit[] }> } & Fails };
  };
  '/api/v1/escalations/claim-next': {
    post: {
      parameters: NoParams;
      requestBody: { content: { 'application/json': Schemas['ClaimNextDto'] } };
      responses: { 200: Json<Escalation>; 204: NoContent } & Fails;
    };
  };
  '/api/v1/escalations/{id}/done': {
    post: {
      parameters: { path: { id: string }; query?: never; header?: never; cookie?: never };
      requestBody: { content: { 'application/json': Schemas['FinishEscalationDto'] } };
      responses: { 200: Json<Escalation> } & Fails;
    };
  };
}
