import { iso } from '../common/iso';
import { toEscalationView } from '../escalation/escalation.view';
import type { Escalation, Outage, OutboundAttempt, OutboundMessage, Ticket, TicketEvent, Webhook } from '../generated/prisma/client';
import { outageView } from '../outages/outage.view';
import { eventView, ticketView } from '../tickets/ticket.view';

// Rows become API.md's Webhook and OutboundMessage shapes, and a message's stored snapshot its body.

export function webhookView(w: Webhook, secret?: string) {
  return {
    id: w.id,
    url: w.url,
    description: w.description,
    eventTypes: w.eventTypes,
    unitCodes: w.unitCodes,
    enabled: w.enabled,
    disabledReason: w.disabledReason,
    createdAt: iso(w.createdAt),
    updatedAt: iso(w.updatedAt),
    ...(secret ? { secret } : {}),
  };
}
export type WebhookView = ReturnType<typeof webhookView>;

export function messageView(m: OutboundMessage & { attempts: OutboundAttempt[] }) {
  return {
    id: m.id,
    channel: m.channel as 'WEBHOOK' | 'EMAIL',
    type: m.type,
    status: m.status,
    ...(m.channel === 'EMAIL' ? { subject: m.subject, to: m.mailTo } : {}),
    unitCode: m.unitCode,
    createdAt: iso(m.createdAt),
    deliveredAt: iso(m.deliveredAt),
    nextAttemptAt: iso(m.nextAttemptAt),
    attempts: m.attempts.map((a) => ({ at: iso(a.at), statusCode: a.statusCode, durationMs: a.durationMs, error: a.error, answer: a.answer })),
  };
}
export type MessageView = ReturnType<typeof messageView>;

const DATE_KEY = /(_at|_deadline|_until)$|^etr$/;

/** Column name → [model name, whether it holds a time]: the few columns of the stored rows, worked out once. */
const columns = new Map<string, [string, boolean]>();
function column(key: string): [string, boolean] {
  let c = columns.get(key);
  if (!c) {
    c = [key.replace(/_([a-z])/g, (_, ch: string) => ch.toUpperCase()), DATE_KEY.test(key)];
    if (columns.size < 1000) columns.set(key, c);
  }
  return c;
}

/** A row as PostgreSQL's to_jsonb wrote it (snake_case, times as text) → the model's shape. */
function modelOf<T>(row: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const key in row) {
    const value = row[key];
    const [name, time] = column(key);
    out[name] = time && typeof value === 'string' ? new Date(value) : value;
  }
  return out as T;
}

interface StoredBody {
  type: string;
  timestamp: string;
  data: { ticket?: Record<string, unknown>; event?: Record<string, unknown>; escalation?: Record<string, unknown>; outage?: Record<string, unknown>; facts?: { ticketCount: number; openTicketCount: number } };
}

/**
 * R-W3: the body `{ type, timestamp, data }` of a webhook from the snapshot its trigger stored at commit
 * (R-W2): the same bytes on every attempt, whatever the ticket became since.
 */
export function webhookBody(payload: unknown): string {
  const stored = payload as StoredBody;
  const data: Record<string, unknown> = {};
  if (stored.data.ticket) {
    const ticket = ticketView(modelOf<Ticket>(stored.data.ticket));
    data.ticket = { ...ticket, outage: ticket.outage && { id: ticket.outage.id } };
  }
  if (stored.data.event) data.event = eventView(modelOf<TicketEvent>(stored.data.event));
  if (stored.data.escalation) data.escalation = toEscalationView(modelOf<Escalation>(stored.data.escalation));
  if (stored.data.outage) {
    const outage = modelOf<Outage>(stored.data.outage);
    const facts = stored.data.facts ?? { ticketCount: 0, openTicketCount: 0 };
    data.outage = outageView(outage, { ...facts, lastPropagation: { status: outage.status, reached: facts.ticketCount - facts.openTicketCount, pending: facts.openTicketCount } });
  }
  return JSON.stringify({ type: stored.type, timestamp: new Date(stored.timestamp).toISOString(), data });
}
