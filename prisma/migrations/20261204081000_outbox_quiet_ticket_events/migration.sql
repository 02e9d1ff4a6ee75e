-- Issue 30: a ticket event's outbox row no longer sends NOTIFY. PostgreSQL serialises the commits of
-- every transaction that notified (a database-wide lock held from pre-commit until after the commit
-- record is flushed), so one NOTIFY per create made all creates commit one after the other: 64
-- connections creating with a webhook configured ran at 493 creates/s (p99 483 ms) with it and 847/s
-- (p99 205 ms) without (raw SQL, same run). Ticket events are written only by the service, which wakes
-- its own dispatcher after each committed ticket write (src/database/commits.ts); any replica's
-- dispatcher may deliver any message, and the fallback poll finds the rest. Escalations, outages and
-- the service's own requeues, all rare, keep waking every replica.
DROP FUNCTION outbound_fan_out(TEXT, TEXT, TEXT, JSONB, TIMESTAMPTZ);

-- R-W2: one PENDING message per enabled endpoint that wants it; with `wake`, wakes the dispatchers at commit.
CREATE FUNCTION outbound_fan_out(msg_type TEXT, subject TEXT, unit TEXT, body JSONB, at TIMESTAMPTZ, wake BOOLEAN DEFAULT true) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbound_messages (id, channel, webhook_id, type, subject_key, unit_code, payload, created_at, next_attempt_at)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'WEBHOOK', w.id, msg_type, subject, unit,
         jsonb_build_object('type', msg_type, 'timestamp', at, 'data', body), at, at
  FROM webhooks w
  WHERE w.enabled AND outbound_webhook_matches(w.event_types, w.unit_codes, msg_type, unit);
  IF FOUND AND wake THEN PERFORM pg_notify('outbound_messages', ''); END IF;
END
$$;

CREATE OR REPLACE FUNCTION outbound_on_ticket_event() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  msg_type TEXT := outbound_ticket_type(NEW.type, NEW.from_status::text, NEW.to_status::text);
  t RECORD;
BEGIN
  IF NEW.type = 'SLA_BREACHED' THEN
    INSERT INTO outbound_breaches (event_id, ticket_number, unit_code, breached_at)
    SELECT NEW.id, NEW.ticket_number, a.code, NEW.occurred_at
    FROM tickets tk, outbound_unit_and_ancestors(tk.unit_code) a WHERE tk.number = NEW.ticket_number
    ON CONFLICT DO NOTHING;
  END IF;
  IF msg_type IS NULL THEN RETURN NULL; END IF;
  SELECT * INTO t FROM tickets WHERE number = NEW.ticket_number;
  IF NOT outbound_wanted(msg_type, t.unit_code) THEN RETURN NULL; END IF;
  PERFORM outbound_fan_out(msg_type, 'ticket:' || NEW.ticket_number, t.unit_code,
    jsonb_build_object('ticket', to_jsonb(t), 'event', to_jsonb(NEW)), NEW.recorded_at, false);
  RETURN NULL;
END
$$;

-- The dispatcher's claim reads the first due PENDING messages in order, and counts the claimed ones per
-- endpoint: both from these, so a claim costs the same with 10 messages waiting or 100,000 (issue 30: it
-- scanned every waiting message, once per delivery, and fell further behind the longer the queue).
CREATE INDEX "outbound_messages_pending_seq_idx" ON "outbound_messages"("seq") WHERE "status" = 'PENDING';
CREATE INDEX "outbound_messages_claimed_idx" ON "outbound_messages"("webhook_id") WHERE "status" = 'PENDING' AND "claimed_by" IS NOT NULL;

-- The dispatcher's first due messages in order (R-W2: none behind an earlier PENDING message of its
-- subject to its endpoint), read along outbound_messages_pending_seq_idx and stopped at `n`. Its own
-- settings keep the planner on that walk: with statistics that still say "few waiting" (a fresh table,
-- or a burst since the last ANALYZE) it joined and sorted every waiting message instead — 300 ms with
-- 28,000 waiting, once per delivery.
CREATE FUNCTION outbound_due_first(at TIMESTAMPTZ, n INTEGER)
RETURNS TABLE (id TEXT, webhook_id UUID, channel TEXT, seq BIGINT)
LANGUAGE sql STABLE SET enable_sort = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
  SELECT m.id, m.webhook_id, m.channel, m.seq
  FROM outbound_messages m
  WHERE m.status = 'PENDING' AND m.next_attempt_at <= at
    AND (m.claimed_until IS NULL OR m.claimed_until < at)
    AND (m.webhook_id IS NULL OR EXISTS (SELECT 1 FROM webhooks w WHERE w.id = m.webhook_id AND w.enabled))
    AND NOT EXISTS (SELECT 1 FROM outbound_messages p
      WHERE p.webhook_id = m.webhook_id AND p.subject_key = m.subject_key AND p.seq < m.seq AND p.status = 'PENDING')
  ORDER BY m.seq LIMIT n
$$;
