import { Injectable } from '@nestjs/common';
import { prepared } from '../database/prepared';
import { PrismaService, type Tx } from '../database/prisma.service';
import { OutboundAttempt, OutboundMessage, Prisma, Webhook } from '../generated/prisma/client';
import type { DigestLine } from './digest.rules';

export type MessageWithAttempts = OutboundMessage & { attempts: OutboundAttempt[] };
/** A claimed message: the columns the dispatcher and the mailer read, no more (each date parsed costs the delivery). */
export type ClaimedMessage = Pick<OutboundMessage, 'id' | 'seq' | 'channel' | 'webhookId' | 'type' | 'payloadId' | 'payload' | 'mailTo' | 'subject' | 'attemptCount' | 'claimedUntil'>;

export interface AttemptRecord {
  at: Date;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  answer: string | null;
  ok: boolean;
}

/**
 * Many attempts logged with their outcomes in one statement (issue 27: one statement per delivery,
 * and one claim per delivery, left the dispatcher at 0.06× a bare loop of POSTs): each message held by
 * the claimer, its attempt, and each endpoint's failingSince — written only when it changes (cleared by
 * a success, set by the first failure after the last success; issue 30: rewriting the endpoint's row on
 * every success slowed every create, whose trigger reads it). `ord` is the order the attempts ended in.
 */
const FINISH = `
  WITH i AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::timestamptz[], $7::int[], $8::int[], $9::text[], $10::text[], $11::boolean[])
      WITH ORDINALITY AS i(id, status, next_at, delivered_at, at, status_code, duration_ms, error, answer, ok, ord)),
  m AS (
    UPDATE outbound_messages o SET status = i.status, attempt_count = o.attempt_count + 1, next_attempt_at = i.next_at,
      delivered_at = i.delivered_at, claimed_by = NULL, claimed_until = NULL
    -- by primary key (= ANY): joined to the unnest alone, the planner may read the whole table
    FROM i WHERE o.id = ANY($2::text[]) AND o.id = i.id AND o.claimed_by = $1 AND o.status = 'PENDING'
    RETURNING o.id, o.webhook_id),
  a AS (
    INSERT INTO outbound_attempts (message_id, at, status_code, duration_ms, error, answer, ok)
    SELECT i.id, i.at, i.status_code, i.duration_ms, i.error, i.answer, i.ok FROM i JOIN m ON m.id = i.id ORDER BY i.ord),
  h AS (SELECT m.webhook_id, i.ok, i.at, i.ord FROM m JOIN i ON i.id = m.id WHERE m.webhook_id IS NOT NULL),
  last_ok AS (SELECT webhook_id, max(ord) FILTER (WHERE ok) AS ord FROM h GROUP BY webhook_id),
  s AS (
    SELECT l.webhook_id, l.ord IS NOT NULL AS cleared,
      (SELECT min(h.at) FROM h WHERE h.webhook_id = l.webhook_id AND NOT h.ok AND h.ord > coalesce(l.ord, 0)) AS failed_at
    FROM last_ok l),
  w AS (
    UPDATE webhooks SET failing_since = CASE WHEN s.cleared THEN s.failed_at ELSE coalesce(webhooks.failing_since, s.failed_at) END
    FROM s WHERE webhooks.id = s.webhook_id
      AND webhooks.failing_since IS DISTINCT FROM (CASE WHEN s.cleared THEN s.failed_at ELSE coalesce(webhooks.failing_since, s.failed_at) END))
  SELECT id FROM m`;

/** Claimed messages given back before their attempt (a lease too near its end, a stopping dispatcher). */
const RELEASE = `
  UPDATE outbound_messages SET claimed_by = NULL, claimed_until = NULL
  WHERE id = ANY($2::text[]) AND claimed_by = $1 AND status = 'PENDING'`;

/**
 * R-W2: the claim. outbound_due_first walks each queue's (an endpoint's, the mail channel's) first
 * waiting messages in order, queue by queue so that a dead endpoint's backlog hides no other's, and gives
 * at most its window of due ones less what is claimed there already (by any dispatcher, lease not over;
 * counted among the same first waiting messages: migration 20261207010000, which keeps every claim a HOT
 * update), none behind an earlier PENDING message of its subject to its endpoint, so per-subject order
 * holds whoever claims. Windows: $5/$6 per queue key, $7 for any other. Locked FOR UPDATE SKIP LOCKED by
 * primary key (a join let the planner read every waiting message to match a few), at most $4 in all. The
 * `|| ''` and `+ 0` keep it there: with narrow rows (shared payloads) the planner otherwise walked the
 * waiting messages' index in order, testing each against the whole id array (700 ms per claim with 35,000
 * waiting, scenario 16's replay).
 */
const CLAIM = `
  WITH first AS (SELECT * FROM outbound_due_first($1::timestamptz, $5::text[], $6::int[], $7::int, $8::int)),
  picked AS (
    SELECT m.id FROM outbound_messages m
    WHERE m.id = ANY (ARRAY(SELECT id FROM first))
      AND (m.status || '') = 'PENDING' AND (m.claimed_until IS NULL OR m.claimed_until < $1)
    ORDER BY m.seq + 0 LIMIT $4
    FOR UPDATE OF m SKIP LOCKED),
  claimed AS (
    UPDATE outbound_messages m SET claimed_by = $3, claimed_until = $2
    FROM picked WHERE m.id = picked.id
    RETURNING m.id, m.seq, m.channel, m.webhook_id, m.type, m.payload_id, m.payload, m.mail_to, m.subject, m.attempt_count, m.claimed_until)
  -- a shared snapshot (outbound_payloads) sent once per claim, with the first of its messages
  SELECT m.id, m.seq::text AS seq, m.channel, m.webhook_id AS "webhookId", m.type, m.payload_id::text AS "payloadId",
    m.mail_to AS "mailTo", m.subject, m.attempt_count AS "attemptCount", m.claimed_until AS "claimedUntil",
    CASE WHEN m.payload IS NOT NULL THEN m.payload::text
      WHEN row_number() OVER (PARTITION BY m.payload_id ORDER BY m.seq) = 1 THEN (SELECT p.body::text FROM outbound_payloads p WHERE p.id = m.payload_id)
    END AS payload
  FROM claimed m`;

/** The advisory lock deletions of endpoints take in turn (deleteWebhook). */
export const WEBHOOK_DELETION_LOCK = 'apkt R-W webhook deletion';

/** How many waiting messages of each queue a claim looks at (outbound_due_first stops there). */
const CLAIM_SCAN = 1000;

/** One finished attempt to log: the message, what happened, and what it decides. */
export interface Finished {
  messageId: string;
  attempt: AttemptRecord;
  outcome: AttemptOutcome;
}

/** What a finished attempt decides (R-W4): delivered, retried at a time, or failed for good. */
export type AttemptOutcome = { status: 'DELIVERED' } | { status: 'PENDING'; nextAttemptAt: Date } | { status: 'FAILED' };

export interface NewMail {
  id: string;
  unitCode: string | null;
  type: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  status: 'PENDING' | 'KEPT';
  at: Date;
  /** an over-SLA digest's lines, kept so that an erasure can render it again (R-P3) */
  lines?: DigestLine[];
}

export interface Breach {
  eventId: bigint;
  number: string;
  kind: string;
  problemType: string;
  area: string | null;
  slaDeadline: Date;
}

// The queries of src/outbound over its own tables (webhooks, outbound_messages, outbound_attempts,
// outbound_breaches); the messages themselves are written by the triggers of its migration (R-W2).
@Injectable()
export class OutboundRepository {
  constructor(private readonly prisma: PrismaService) {}

  createWebhook(data: Prisma.WebhookUncheckedCreateInput): Promise<Webhook> {
    return this.prisma.webhook.create({ data });
  }

  listWebhooks(): Promise<Webhook[]> {
    return this.prisma.webhook.findMany({ orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
  }

  findWebhook(id: string): Promise<Webhook | null> {
    return this.prisma.webhook.findUnique({ where: { id } });
  }

  findWebhooks(ids: string[]): Promise<Webhook[]> {
    return this.prisma.webhook.findMany({ where: { id: { in: ids } } });
  }

  updateWebhook(id: string, data: Prisma.WebhookUncheckedUpdateInput): Promise<Webhook> {
    return this.prisma.webhook.update({ where: { id }, data });
  }

  /**
   * Messages first, then the endpoint: the order `finish` locks them in, so the two never deadlock. A
   * shared snapshot goes with the last message using it (the trigger of migration 20261206170000, after
   * each statement, the cascade's too); deletions take turns, so that the later one's statements see
   * the messages the earlier one removed and collect the snapshots the two shared.
   */
  async deleteWebhook(id: string): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${WEBHOOK_DELETION_LOCK}, 0))`;
      await tx.outboundMessage.deleteMany({ where: { webhookId: id } });
      return (await tx.webhook.deleteMany({ where: { id } })).count > 0;
    });
  }

  /** R-W5: an endpoint's messages, newest first, after the keyset `beforeSeq`. */
  listMessages(webhookId: string, statuses: string[] | undefined, beforeSeq: bigint | undefined, limit: number): Promise<MessageWithAttempts[]> {
    return this.consistent((db) => db.outboundMessage.findMany({
      // channel: outbound_messages_webhook_seq_idx is partial on it (so the claim's order check cannot read it)
      where: { webhookId, channel: 'WEBHOOK', ...(statuses ? { status: { in: statuses } } : {}), ...(beforeSeq !== undefined ? { seq: { lt: beforeSeq } } : {}) },
      orderBy: { seq: 'desc' },
      take: limit + 1,
      include: { attempts: { orderBy: { id: 'asc' } } },
    }));
  }

  /**
   * Prisma reads an `include` with a second query: one snapshot for both (REPEATABLE READ), so a
   * message is never shown with an attempt its row does not reflect yet.
   */
  private consistent<T>(read: (db: Prisma.TransactionClient) => Promise<T>): Promise<T> {
    return this.prisma.$transaction((tx) => read(tx), { isolationLevel: 'RepeatableRead' });
  }

  /** R-W7: the mails of some units (or of every unit), newest first. */
  listMails(unitCodes: string[] | undefined, beforeSeq: bigint | undefined, limit: number): Promise<MessageWithAttempts[]> {
    return this.consistent((db) => db.outboundMessage.findMany({
      where: { channel: 'EMAIL', ...(unitCodes ? { unitCode: { in: unitCodes } } : {}), ...(beforeSeq !== undefined ? { seq: { lt: beforeSeq } } : {}) },
      orderBy: { seq: 'desc' },
      take: limit + 1,
      include: { attempts: { orderBy: { id: 'asc' } } },
    }));
  }

  findMessage(webhookId: string, id: string): Promise<MessageWithAttempts | null> {
    return this.consistent((db) => db.outboundMessage.findFirst({ where: { id, webhookId }, include: { attempts: { orderBy: { id: 'asc' } } } }));
  }

  /** R-W5: a message queued again now (same id, so the receiver still sees one webhook-id). */
  async requeue(webhookId: string, id: string, now: Date): Promise<MessageWithAttempts | null> {
    const { count } = await this.prisma.outboundMessage.updateMany({
      where: { id, webhookId },
      data: { status: 'PENDING', attemptCount: 0, nextAttemptAt: now, claimedBy: null, claimedUntil: null },
    });
    if (!count) return null;
    await this.notify();
    return this.findMessage(webhookId, id);
  }

  /** R-W5: every message of the endpoint since a time that is not waiting already, queued again. */
  async replay(webhookId: string, since: Date, now: Date): Promise<number> {
    const { count } = await this.prisma.outboundMessage.updateMany({
      where: { webhookId, channel: 'WEBHOOK', createdAt: { gte: since }, status: { not: 'PENDING' } },
      data: { status: 'PENDING', attemptCount: 0, nextAttemptAt: now, claimedBy: null, claimedUntil: null },
    });
    if (count) await this.notify();
    return count;
  }

  /** Whether any endpoint is enabled (the dispatcher asks on its poll). */
  async anyEnabledWebhook(): Promise<boolean> {
    return (await this.prisma.webhook.count({ where: { enabled: true }, take: 1 })) > 0;
  }

  private notify(): Promise<unknown> {
    return this.prisma.$executeRaw`SELECT pg_notify('outbound_messages', '')`;
  }

  /**
   * R-W2: claim up to `n` due messages for `claimer` until `leaseUntil` with FOR UPDATE SKIP LOCKED, each
   * queue (endpoint id, or `EMAIL`) up to its window in `windows` (else `otherWindow`) counting what is
   * claimed there already, so one slow endpoint holds only its own; in `seq` order.
   */
  async claim(now: Date, leaseUntil: Date, claimer: string, n: number, windows: ReadonlyMap<string, number>, otherWindow: number): Promise<ClaimedMessage[]> {
    const { rows } = await this.prisma.pool.query<Omit<ClaimedMessage, 'seq' | 'payload' | 'payloadId'> & { seq: string; payload: string | null; payloadId: string | null }>(
      // unnamed, so planned for each claim: a named statement's generic plan, made on the first claims
      // of a fresh outbox, kept a sequential scan of outbound_messages for the picked ids once the table
      // had grown (auto_explain in scenario 16: 40 ms per claim of 90 rows, 24,768 rows filtered)
      { text: CLAIM, values: [now, leaseUntil, claimer, n, [...windows.keys()], [...windows.values()], otherWindow, CLAIM_SCAN] },
    );
    // one event's messages to several endpoints share one snapshot, sent with the first of them: parsed
    // once, the same object (the dispatcher renders a body once per payload object)
    const shared = new Map<string, OutboundMessage['payload']>();
    for (const r of rows) if (r.payloadId !== null && r.payload !== null) shared.set(r.payloadId, JSON.parse(r.payload));
    return rows
      .map((r) => ({
        ...r,
        seq: BigInt(r.seq),
        payloadId: r.payloadId === null ? null : BigInt(r.payloadId),
        payload: r.payloadId === null ? (JSON.parse(r.payload as string) as OutboundMessage['payload']) : (shared.get(r.payloadId) ?? null),
      }))
      .sort((a, b) => (a.seq < b.seq ? -1 : 1));
  }

  /**
   * R-W4/R-W5: attempts logged with their outcomes, in the order given, by the claimer only (a claim
   * that expired and was taken over is left to its new claimer). Returns the ids this claimer still held.
   */
  async finish(claimer: string, done: readonly Finished[]): Promise<Set<string>> {
    if (!done.length) return new Set();
    const { rows } = await this.prisma.pool.query<{ id: string }>(
      prepared(FINISH, [
        claimer,
        done.map((d) => d.messageId),
        done.map((d) => d.outcome.status),
        done.map((d) => (d.outcome.status === 'PENDING' ? d.outcome.nextAttemptAt : null)),
        done.map((d) => (d.outcome.status === 'DELIVERED' ? d.attempt.at : null)),
        done.map((d) => d.attempt.at),
        done.map((d) => d.attempt.statusCode),
        done.map((d) => d.attempt.durationMs),
        done.map((d) => d.attempt.error),
        done.map((d) => d.attempt.answer),
        done.map((d) => d.attempt.ok),
      ]),
    );
    const held = new Set(rows.map((r) => r.id));
    if (done.some((d) => d.outcome.status === 'PENDING' && held.has(d.messageId))) await this.notify();
    return held;
  }

  /** R-W2: claimed messages given back unattempted, so that any dispatcher may take them at once. */
  async release(claimer: string, ids: readonly string[]): Promise<void> {
    if (ids.length) await this.prisma.pool.query(prepared(RELEASE, [claimer, ids]));
  }

  /** R-W4: disable an endpoint that is still failing since before `failedBefore`; true when this call did. */
  async disableIfFailing(webhookId: string, failedBefore: Date, reason: string, now: Date, notice: NewMail): Promise<boolean> {
    return this.prisma.$transaction(async (tx) => {
      const { count } = await tx.webhook.updateMany({
        where: { id: webhookId, enabled: true, failingSince: { lte: failedBefore } },
        data: { enabled: false, disabledReason: reason, updatedAt: now },
      });
      if (count) await this.insertMail(tx, notice);
      return count > 0;
    });
  }

  private insertMail(tx: Prisma.TransactionClient, mail: NewMail): Promise<unknown> {
    return tx.outboundMessage.create({
      data: {
        id: mail.id, channel: 'EMAIL', type: mail.type, subjectKey: `mail:${mail.unitCode ?? '-'}`, unitCode: mail.unitCode,
        payload: { text: mail.text, html: mail.html, ...(mail.lines ? { lines: mail.lines as never, tickets: mail.lines.map((l) => l.number) } : {}) }, mailTo: mail.to, subject: mail.subject, status: mail.status,
        createdAt: mail.at, nextAttemptAt: mail.status === 'PENDING' ? mail.at : null,
      },
    });
  }

  /** R-W7: units with breaches no digest carried yet and no digest in the last `since`; their addresses. */
  unitsDueForDigest(since: Date): Promise<{ unitCode: string; emails: string[] }[]> {
    return this.prisma.$queryRaw`
      SELECT b.unit_code AS "unitCode", u.notify_emails AS emails
      FROM outbound_breaches b JOIN units u ON u.code = b.unit_code
      WHERE b.digested_at IS NULL
        AND NOT EXISTS (SELECT 1 FROM outbound_messages m
          WHERE m.channel = 'EMAIL' AND m.type = 'sla.digest' AND m.unit_code = b.unit_code AND m.created_at > ${since})
      GROUP BY b.unit_code, u.notify_emails`;
  }

  /**
   * R-W7: one unit's undigested breaches, claimed and marked digested together with its mail (built by
   * `compose` from them) in one transaction; no addresses: marked without a mail.
   */
  digestUnit(unitCode: string, now: Date, compose: (breaches: Breach[]) => NewMail | null): Promise<NewMail | null> {
    return this.prisma.$transaction(async (tx) => {
      const breaches = await tx.$queryRaw<Breach[]>`
        WITH due AS (
          SELECT event_id, ticket_number FROM outbound_breaches
          WHERE unit_code = ${unitCode} AND digested_at IS NULL ORDER BY event_id FOR UPDATE SKIP LOCKED),
        marked AS (UPDATE outbound_breaches b SET digested_at = ${now} FROM due WHERE b.event_id = due.event_id AND b.unit_code = ${unitCode} RETURNING b.event_id, b.ticket_number)
        SELECT marked.event_id AS "eventId", t.number, t.kind::text AS kind, t.problem_type AS "problemType",
          concat_ws(', ', t.customer_address, t.customer_province) AS area, t.sla_deadline AS "slaDeadline"
        FROM marked JOIN tickets t ON t.number = marked.ticket_number ORDER BY t.sla_deadline, t.number`;
      if (!breaches.length) return null;
      const mail = compose(breaches);
      if (mail) await this.insertMail(tx, mail);
      return mail;
    });
  }

  /**
   * R-P3, R-P4: the stored messages of erased tickets (and of their escalations) keep no personal data.
   * Run in the erasure's transaction after the rows were erased: each snapshot takes the erased values
   * of the personal columns and notes, and keeps everything else as it was at its change.
   */
  async erasePersonalData(tx: Tx, numbers: string[], escalationIds: string[] = []): Promise<number> {
    if (!numbers.length && !escalationIds.length) return 0;
    // webhook snapshots are shared (outbound_payloads, migration 20261206150000 moved the older ones there);
    // a mail's own body is rewritten by rewriteDigest
    const tickets = await tx.$executeRaw`
      UPDATE outbound_payloads p SET body = jsonb_set(jsonb_set(p.body,
          '{data,ticket}', (p.body #> '{data,ticket}') || jsonb_build_object(
            'customer_name', t.customer_name, 'customer_phone', t.customer_phone, 'customer_id_pel', t.customer_id_pel,
            'customer_meter_number', t.customer_meter_number, 'customer_address', t.customer_address,
            'customer_phone_key', t.customer_phone_key, 'customer_name_key', t.customer_name_key,
            'description', t.description, 'keterangan', t.keterangan, 'unit_answer', t.unit_answer,
            'cancel_reason', t.cancel_reason, 'rating_comment', t.rating_comment)),
          '{data,event}', coalesce((SELECT (p.body #> '{data,event}') || jsonb_build_object('note', e.note)
            FROM ticket_events e WHERE e.id = (p.body #>> '{data,event,id}')::bigint), p.body #> '{data,event}', 'null'::jsonb))
      FROM outbound_messages m, tickets t
      WHERE t.number = ANY(${numbers}::text[]) AND m.subject_key = 'ticket:' || t.number AND m.payload_id = p.id AND p.body #> '{data,ticket}' IS NOT NULL`;
    const escalations = await tx.$executeRaw`
      UPDATE outbound_payloads p SET body = jsonb_set(jsonb_set(p.body, '{data,escalation}',
          (p.body #> '{data,escalation}') || jsonb_build_object('note', e.note, 'done_note', e.done_note)),
          '{data,event}', coalesce((SELECT (p.body #> '{data,event}') || jsonb_build_object('note', x.note)
            FROM ticket_events x WHERE x.id = (p.body #>> '{data,event,id}')::bigint), p.body #> '{data,event}', 'null'::jsonb))
      FROM outbound_messages m, escalations e
      WHERE (e.ticket_number = ANY(${numbers}::text[]) OR e.id = ANY(${escalationIds}::uuid[])) AND m.subject_key = 'escalation:' || e.id AND m.payload_id = p.id AND p.body #> '{data,escalation}' IS NOT NULL`;
    return tickets + escalations;
  }

  /** R-P3, R-P4: the over-SLA digests listing any of these tickets (outbound_messages_digest_tickets_idx), locked. */
  digestsListing(tx: Tx, numbers: string[]): Promise<{ id: string; unitCode: string; lines: DigestLine[] }[]> {
    if (!numbers.length) return Promise.resolve([]);
    return tx.$queryRaw`
      SELECT id, unit_code AS "unitCode", payload -> 'lines' AS lines FROM outbound_messages
      WHERE type = 'sla.digest' AND (payload -> 'tickets') ?| ${numbers}::text[] AND payload ? 'lines'
      FOR UPDATE`;
  }

  /** R-P3, R-P4: a digest's payload rendered again. */
  async rewriteDigest(tx: Tx, id: string, payload: { text: string; html: string; lines: DigestLine[] }): Promise<void> {
    await tx.$executeRaw`
      UPDATE outbound_messages SET payload = payload || jsonb_build_object('text', ${payload.text}::text, 'html', ${payload.html}::text, 'lines', ${JSON.stringify(payload.lines)}::jsonb)
      WHERE id = ${id}`;
  }

  /** R-W7: mail addresses of a unit. */
  async unitEmails(unitCode: string): Promise<string[]> {
    const rows = await this.prisma.$queryRaw<{ emails: string[] }[]>`SELECT notify_emails AS emails FROM units WHERE code = ${unitCode}`;
    return rows[0]?.emails ?? [];
  }

  /** Metrics: the backlog and the age of its oldest message, per endpoint (mail: `email`). */
  backlog(): Promise<{ endpoint: string; n: number; oldest: Date }[]> {
    return this.prisma.$queryRaw`
      SELECT coalesce(webhook_id::text, 'email') AS endpoint, count(*)::int AS n, min(created_at) AS oldest
      FROM outbound_messages WHERE status = 'PENDING' GROUP BY 1`;
  }
}
