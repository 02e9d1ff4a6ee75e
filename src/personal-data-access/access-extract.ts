import { phoneKey } from '../common/phone';

// R-P1: which tickets and customers an answer showed. Each route that answers with personal data names
// how to read them from its body (the view objects, before serialisation); any route not listed here
// carries none (reports, units, policies, outages, coverage, webhooks). A write's answer is recorded too
// when it shows the ticket (or order, reference, escalation) back: "every answer that carries a
// customer's personal data to a person" — a create's answer included, which may hold more than was sent
// (a callback's follow-up takes the customer of the ticket it follows, R-E4).

/** One ticket or customer an answer showed: aligned elements of the access log's arrays. */
export interface Seen {
  ticketNumber: string | null;
  idPel: string | null;
  phone: string | null;
}

type Body = any;
type Query = Record<string, unknown> | undefined;
type Params = Record<string, string> | undefined;
type Extractor = (body: Body, query: Query, params: Params) => Seen[];

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const phoneOf = (v: unknown): string | null => {
  const s = str(v);
  return s && /\d/.test(s) ? phoneKey(s) : null;
};

/** A Ticket view (API.md): its number and its customer. */
const ticket = (t: Body): Seen[] => (t && typeof t === 'object' ? [{ ticketNumber: str(t.number), idPel: str(t.customer?.idPel), phone: phoneOf(t.customer?.phone) }] : []);
const tickets = (items: Body): Seen[] => (Array.isArray(items) ? items.flatMap(ticket) : []);
const numbered = (field: string) => (items: Body): Seen[] =>
  Array.isArray(items) ? items.filter((i) => str(i?.[field])).map((i) => ({ ticketNumber: i[field] as string, idPel: null, phone: null })) : [];
const reference = (r: Body): Seen[] => {
  const numbers: string[] = Array.isArray(r?.ticketNumbers) ? r.ticketNumbers : [];
  const idPel = str(r?.customer?.idPel);
  const phone = phoneOf(r?.customer?.phone);
  return numbers.length ? numbers.map((n) => ({ ticketNumber: n, idPel, phone })) : [{ ticketNumber: null, idPel, phone }];
};
const references = (items: Body): Seen[] => (Array.isArray(items) ? items.flatMap(reference) : []);
const customers = (items: Body): Seen[] =>
  Array.isArray(items) ? items.map((c) => ({ ticketNumber: null, idPel: str(c?.idPel), phone: phoneOf(c?.phone) })) : [];
const pathTicket = (params: Params): Seen[] => (params?.number ? [{ ticketNumber: params.number, idPel: null, phone: null }] : []);
const queried = (query: Query): Seen[] => {
  const idPel = str(query?.idPel);
  const phone = phoneOf(query?.phone);
  return idPel || phone ? [{ ticketNumber: null, idPel, phone }] : [];
};

/** `METHOD route-template` → how to read what the answer showed. */
export const EXTRACTORS: Record<string, Extractor> = {
  'GET /api/v1/tickets': (b) => tickets(b?.items),
  'GET /api/v1/tickets/:number': (b) => ticket(b),
  'GET /api/v1/tickets/:number/events': (_b, _q, p) => pathTicket(p),
  'GET /api/v1/tickets/:number/re-report-preview': (b, _q, p) => [...pathTicket(p), ...ticket(b?.ticket)],
  'GET /api/v1/ticket-changes': (b) => tickets(b?.items),
  'GET /api/v1/customers/history': (b, q) => [
    ...queried(q),
    ...customers(b?.customers),
    ...tickets(b?.tickets),
    ...numbered('ticketNumber')(b?.orders),
    ...references(b?.itsmReferences),
    ...numbered('ticketNumber')(b?.escalations),
  ],
  'GET /api/v1/customers/tickets': (b, q) => [...queried(q), ...numbered('number')(b?.items)],
  'GET /api/v1/itsm-references': (b, q) => [...queried(q), ...references(b?.items)],
  'GET /api/v1/itsm-references/:id': (b) => reference(b),
  'POST /api/v1/itsm-references/:id/notes': (b) => reference(b),
  'GET /api/v1/escalations': (b) => numbered('ticketNumber')(b?.items),
  'POST /api/v1/escalations/claim-next': (b) => numbered('ticketNumber')([b]),
  'POST /api/v1/escalations/:id/done': (b) => numbered('ticketNumber')([b]),
  'GET /api/v1/listriqu/orders': (b) => numbered('ticketNumber')(b?.items),
  'GET /api/v1/personal-data': (b) => [...customers([b?.subject]), ...tickets(b?.tickets), ...references(b?.itsmReferences)],
  // answers to writes that show the whole ticket (the customer's data) back to its writer
  'POST /api/v1/tickets': (b) => ticket(b),
  'POST /api/v1/tickets/:number/rating': (b) => ticket(b),
  'POST /api/v1/tickets/:number/iml-corrections': (b) => [...ticket(b?.ticket), ...numbered('ticketNumber')([b?.order])],
  'POST /api/v1/escalations': (b) => numbered('ticketNumber')([b]),
  'POST /api/v1/itsm-references/:id/status': (b) => reference(b),
  'POST /api/v1/listriqu/orders/:ticketNumber/status': (b) => numbered('ticketNumber')([b]),
  'POST /api/v1/tickets/:number/status': (b) => ticket(b),
  'POST /api/v1/tickets/:number/updates': (b) => ticket(b),
  'POST /api/v1/tickets/:number/re-reports': (b) => [...ticket(b?.ticket), ...ticket(b?.previous)],
  'POST /api/v1/tickets/:number/confirmation': (b) => [...ticket(b?.ticket), ...ticket(b?.newTicket)],
  'DELETE /api/v1/outages/:id/tickets/:number': (b) => ticket(b),
};

/** What the answer showed, each ticket or customer once; empty when the route carries no personal data. */
export function seenIn(method: string, route: string | undefined, body: Body, query: Query, params: Params): Seen[] {
  const extract = route ? EXTRACTORS[`${method} ${route}`] : undefined;
  if (!extract || body === null || body === undefined) return [];
  const seen = new Map<string, Seen>();
  for (const s of extract(body, query, params)) {
    if (!s.ticketNumber && !s.idPel && !s.phone) continue;
    seen.set(`${s.ticketNumber}|${s.idPel}|${s.phone}`, s);
  }
  return [...seen.values()];
}
