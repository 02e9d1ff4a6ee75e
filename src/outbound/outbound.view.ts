import { AnswerShape, boolean, Field, inline, integer, list, nullable, oneOf, PageOf, pageShape, ref, string, time } from '../common/answer-shape';
import { iso } from '../common/iso';
import { toEscalationView } from '../escalation/escalation.view';
import type { Escalation, Outage, OutboundAttempt, OutboundMessage, Ticket, TicketEvent, Webhook } from '../generated/prisma/client';
import { outageView } from '../outages/outage.view';
import { eventView, ticketView } from '../tickets/ticket.view';

// Rows become API.md's Webhook and OutboundMessage shapes, and a message's stored snapshot its body.

const WEBHOOK_EXAMPLE = {
  id: '6f1c2b3a-0d4e-4f5a-9b8c-7d6e5f4a3b2c', url: 'https://hooks.example.com/apkt', description: 'Dashboard', eventTypes: ['ticket.created'], unitCodes: ['542'],
  enabled: true, disabledReason: null, createdAt: '2026-12-04T01:00:00.000Z', updatedAt: '2026-12-04T01:00:00.000Z',
};

/** A webhook endpoint (R-W1); the document's Webhook (issue 24). */
@AnswerShape({ name: 'Webhook', description: 'A webhook endpoint (R-W1).', example: WEBHOOK_EXAMPLE })
export class WebhookAnswer {
  @Field(string()) id!: string;
  @Field(string()) url!: string;
  @Field(nullable(string())) description!: string | null;
  @Field(list(string())) eventTypes!: string[];
  @Field(list(string())) unitCodes!: string[];
  @Field(boolean()) enabled!: boolean;
  @Field(nullable(string())) disabledReason!: string | null;
  @Field(time()) createdAt!: string;
  @Field(time()) updatedAt!: string;
}

@AnswerShape({ name: 'WebhookWithSecret', description: 'A webhook endpoint with its secret.', example: { ...WEBHOOK_EXAMPLE, secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw' } })
export class WebhookWithSecretAnswer extends WebhookAnswer {
  @Field(string('whsec_…: shown only at creation and rotation (R-W3)')) secret!: string;
}

@AnswerShape({ name: 'WebhookList', description: 'Every webhook endpoint.', example: { items: [WEBHOOK_EXAMPLE] } })
export class WebhookListAnswer {
  @Field(list(ref(WebhookAnswer))) items!: WebhookAnswer[];
}

export function webhookView(w: Webhook): WebhookAnswer {
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
  };
}

/** R-W3: the endpoint with its secret, at creation and rotation only. */
export const webhookWithSecretView = (w: Webhook, secret: string): WebhookWithSecretAnswer => ({ ...webhookView(w), secret });

const MESSAGE_EXAMPLE = {
  id: 'msg_2f0c1d9e8b7a4c5d6e7f8a9b0c1d2e3f', channel: 'WEBHOOK', type: 'ticket.created', status: 'DELIVERED', unitCode: '542',
  createdAt: '2026-12-04T01:00:00.000Z', deliveredAt: '2026-12-04T01:00:00.200Z', nextAttemptAt: null,
  attempts: [{ at: '2026-12-04T01:00:00.000Z', statusCode: 200, durationMs: 35, error: null, answer: 'ok' }],
};

export class AttemptAnswer {
  @Field(time()) at!: string;
  @Field(nullable(integer())) statusCode!: number | null;
  @Field(integer()) durationMs!: number;
  @Field(nullable(string())) error!: string | null;
  @Field(nullable(string('The first 1 KiB of the answer'))) answer!: string | null;
}

/** A webhook or mail of the outbox with its attempts; the document's OutboundMessage (issue 24). */
@AnswerShape({ name: 'OutboundMessage', description: 'A webhook or mail of the outbox with its attempts (R-W5, R-W7); mails also carry subject and to.', example: MESSAGE_EXAMPLE })
export class OutboundMessageAnswer {
  @Field(string('The webhook-id of every attempt')) id!: string;
  @Field(oneOf(['WEBHOOK', 'EMAIL'])) channel!: 'WEBHOOK' | 'EMAIL';
  @Field(string()) type!: string;
  @Field(oneOf(['PENDING', 'DELIVERED', 'FAILED', 'KEPT'])) status!: string;
  @Field(nullable(string('The unit the message is about (an addition)'))) unitCode!: string | null;
  @Field(time()) createdAt!: string;
  @Field(nullable(time())) deliveredAt!: string | null;
  @Field(nullable(time())) nextAttemptAt!: string | null;
  @Field(list(inline(AttemptAnswer))) attempts!: AttemptAnswer[];
  @Field(nullable(string('Mail only')), { optional: true }) subject?: string | null;
  @Field(list(string(), 'Mail only'), { optional: true }) to?: string[];
}

@AnswerShape(pageShape('OutboundMessagePage', 'OutboundMessage', MESSAGE_EXAMPLE))
export class OutboundMessagePageAnswer extends PageOf(OutboundMessageAnswer) {}

@AnswerShape({ name: 'ReplayAnswer', description: 'How many messages were queued again (R-W5).', example: { queued: 3 } })
export class ReplayAnswer {
  @Field(integer()) queued!: number;
}

export function messageView(m: OutboundMessage & { attempts: OutboundAttempt[] }): OutboundMessageAnswer {
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
  data: { ticket?: Record<string, unknown>; ticketOutage?: { id: string; title: string; status: string; etr: string | null }; event?: Record<string, unknown>; escalation?: Record<string, unknown>; outage?: Record<string, unknown>; facts?: { ticketCount: number; openTicketCount: number } };
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
    // the ticket's outage as it was at the change (API.md Ticket); snapshots before 20261208010000 held its id only
    const o = stored.data.ticketOutage;
    data.ticket = { ...ticket, outage: ticket.outage && (o ? { ...o, etr: iso(o.etr === null ? null : new Date(o.etr)) } : { id: ticket.outage.id }) };
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
