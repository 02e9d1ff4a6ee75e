/**
 * TEMPORARY — delete after the OpenAPI document is completed (issue 19, first wave).
 *
 * The service's document (generated into schema.d.ts at build time) does not yet describe the path and
 * query parameters or the answers of the operations below; another branch completes it. Until then the
 * console types them here, copied from API.md. Request bodies are already taken from the document
 * (`Schemas[...]`), so a change to them breaks the console's type check today. Once the document
 * describes these operations, delete this file, make `ConsolePaths` in contract.ts plain `paths`, and
 * point types.ts at `components['schemas']`.
 */
import type { components, operations as Operations } from './schema';

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

export interface PendingPaths {
  '/api/v1/customers/history': {
    get: {
      parameters: Operations['getCustomerHistory']['parameters'];
      requestBody?: never;
      responses: { 200: Json<CustomerHistory> } & Fails;
    };
  };
  '/api/v1/tickets/{number}/re-report-preview': {
    get: {
      parameters: Operations['previewReReport']['parameters'];
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
