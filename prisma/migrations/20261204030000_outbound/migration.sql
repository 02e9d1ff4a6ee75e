-- R-W1…R-W7: webhook endpoints, the outbox of messages (webhooks and mails), their attempts, and the
-- over-SLA breaches waiting for a unit's digest mail. Owned by src/outbound.
--
-- R-W2: the messages are written by DEFERRED constraint triggers on ticket_events, escalations and
-- outages, so every writer (requests, jobs, outage propagation, ListriQu/ITSM updates) writes them in
-- its own transaction without knowing it, and a rolled-back change writes none. Deferred to commit, the
-- snapshot in the payload is the row as the transaction leaves it. The time of a message comes from the
-- change's own times (recorded_at, updated_at), which the service took from its injected clock.

CREATE TABLE "webhooks" (
  "id" UUID NOT NULL DEFAULT gen_random_uuid(),
  "url" TEXT NOT NULL,
  "description" TEXT,
  "event_types" TEXT[] NOT NULL,
  "unit_codes" TEXT[] NOT NULL DEFAULT '{}',
  "secret" TEXT NOT NULL,
  "previous_secret" TEXT,
  "previous_secret_until" TIMESTAMPTZ(3),
  "enabled" BOOLEAN NOT NULL DEFAULT true,
  "disabled_reason" TEXT,
  "failing_since" TIMESTAMPTZ(3),
  "created_at" TIMESTAMPTZ(3) NOT NULL,
  "updated_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "webhooks_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "outbound_messages" (
  "id" TEXT NOT NULL,
  "seq" BIGSERIAL NOT NULL,
  "channel" TEXT NOT NULL,
  "webhook_id" UUID,
  "type" TEXT NOT NULL,
  "subject_key" TEXT NOT NULL,
  "unit_code" VARCHAR(3),
  "payload" JSONB NOT NULL,
  "mail_to" TEXT[] NOT NULL DEFAULT '{}',
  "subject" TEXT,
  "status" TEXT NOT NULL DEFAULT 'PENDING',
  "attempt_count" INTEGER NOT NULL DEFAULT 0,
  "created_at" TIMESTAMPTZ(3) NOT NULL,
  "next_attempt_at" TIMESTAMPTZ(3),
  "delivered_at" TIMESTAMPTZ(3),
  "claimed_by" TEXT,
  "claimed_until" TIMESTAMPTZ(3),
  CONSTRAINT "outbound_messages_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "outbound_messages_webhook_id_fkey" FOREIGN KEY ("webhook_id") REFERENCES "webhooks"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "outbound_messages_seq_key" ON "outbound_messages"("seq");
CREATE INDEX "outbound_messages_status_next_attempt_at_idx" ON "outbound_messages"("status", "next_attempt_at");
CREATE INDEX "outbound_messages_webhook_id_subject_key_seq_idx" ON "outbound_messages"("webhook_id", "subject_key", "seq");
CREATE INDEX "outbound_messages_webhook_id_created_at_idx" ON "outbound_messages"("webhook_id", "created_at");
CREATE INDEX "outbound_messages_channel_unit_code_created_at_idx" ON "outbound_messages"("channel", "unit_code", "created_at");

CREATE TABLE "outbound_attempts" (
  "id" BIGSERIAL NOT NULL,
  "message_id" TEXT NOT NULL,
  "at" TIMESTAMPTZ(3) NOT NULL,
  "status_code" INTEGER,
  "duration_ms" INTEGER NOT NULL,
  "error" TEXT,
  "answer" TEXT,
  "ok" BOOLEAN NOT NULL,
  CONSTRAINT "outbound_attempts_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "outbound_attempts_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "outbound_messages"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "outbound_attempts_message_id_id_idx" ON "outbound_attempts"("message_id", "id");

-- R-W7: one row per SLA_BREACHED event, until a digest mail of its unit carries it.
CREATE TABLE "outbound_breaches" (
  "event_id" BIGINT NOT NULL,
  "ticket_number" VARCHAR(14) NOT NULL,
  "unit_code" VARCHAR(3) NOT NULL,
  "breached_at" TIMESTAMPTZ(3) NOT NULL,
  "digested_at" TIMESTAMPTZ(3),
  CONSTRAINT "outbound_breaches_pkey" PRIMARY KEY ("event_id")
);
CREATE INDEX "outbound_breaches_unit_code_digested_at_idx" ON "outbound_breaches"("unit_code", "digested_at");

-- R-W7: a unit's notification addresses. The organisation branch adds the same column to units with
-- PUT /api/v1/units; IF NOT EXISTS keeps the two migrations compatible in either order.
ALTER TABLE "units" ADD COLUMN IF NOT EXISTS "notify_emails" TEXT[] NOT NULL DEFAULT '{}';

-- R-W1: which webhook event a ticket event is, or NULL when it is none of R-W1's.
CREATE FUNCTION outbound_ticket_type(ev TEXT, from_s TEXT, to_s TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN ev = 'CREATED' THEN 'ticket.created'
    WHEN ev = 'SLA_BREACHED' THEN 'ticket.sla_breached'
    WHEN ev IN ('RE_REPORTED', 'LAPOR_MELEBIHI_SLA', 'LAPOR_ULANG_LISTRIQU') THEN 'ticket.re_reported'
    WHEN to_s = 'DITUTUP' AND from_s IS DISTINCT FROM 'DITUTUP' THEN 'ticket.closed'
    WHEN to_s IS NOT NULL AND to_s IS DISTINCT FROM from_s THEN 'ticket.status_changed'
  END
$$;

-- R-W1: whether an endpoint wants a message. The one place a unit-tree match (R-H3) goes.
CREATE FUNCTION outbound_webhook_matches(event_types TEXT[], unit_codes TEXT[], msg_type TEXT, msg_unit TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
  SELECT ('*' = ANY(event_types) OR msg_type = ANY(event_types))
     AND (cardinality(unit_codes) = 0 OR msg_unit = ANY(unit_codes))
$$;

-- R-W2: one PENDING message per enabled endpoint that wants it; wakes the dispatchers at commit.
CREATE FUNCTION outbound_fan_out(msg_type TEXT, subject TEXT, unit TEXT, body JSONB, at TIMESTAMPTZ) RETURNS VOID
LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO outbound_messages (id, channel, webhook_id, type, subject_key, unit_code, payload, created_at, next_attempt_at)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'WEBHOOK', w.id, msg_type, subject, unit,
         jsonb_build_object('type', msg_type, 'timestamp', at, 'data', body), at, at
  FROM webhooks w
  WHERE w.enabled AND outbound_webhook_matches(w.event_types, w.unit_codes, msg_type, unit);
  IF FOUND THEN PERFORM pg_notify('outbound_messages', ''); END IF;
END
$$;

CREATE FUNCTION outbound_wanted(msg_type TEXT, unit TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled AND outbound_webhook_matches(w.event_types, w.unit_codes, msg_type, unit))
$$;

CREATE FUNCTION outbound_on_ticket_event() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  msg_type TEXT := outbound_ticket_type(NEW.type, NEW.from_status::text, NEW.to_status::text);
  t RECORD;
BEGIN
  IF NEW.type = 'SLA_BREACHED' THEN
    INSERT INTO outbound_breaches (event_id, ticket_number, unit_code, breached_at)
    SELECT NEW.id, NEW.ticket_number, tk.unit_code, NEW.occurred_at FROM tickets tk WHERE tk.number = NEW.ticket_number
    ON CONFLICT DO NOTHING;
  END IF;
  IF msg_type IS NULL THEN RETURN NULL; END IF;
  SELECT * INTO t FROM tickets WHERE number = NEW.ticket_number;
  IF NOT outbound_wanted(msg_type, t.unit_code) THEN RETURN NULL; END IF;
  PERFORM outbound_fan_out(msg_type, 'ticket:' || NEW.ticket_number, t.unit_code,
    jsonb_build_object('ticket', to_jsonb(t), 'event', to_jsonb(NEW)), NEW.recorded_at);
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER outbound_ticket_events AFTER INSERT ON ticket_events
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outbound_on_ticket_event();

CREATE FUNCTION outbound_on_escalation() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  msg_type TEXT := CASE WHEN TG_OP = 'INSERT' THEN 'escalation.created' ELSE 'escalation.done' END;
  unit TEXT;
  e RECORD;
BEGIN
  SELECT tk.unit_code INTO unit FROM tickets tk WHERE tk.number = NEW.ticket_number;
  IF NOT outbound_wanted(msg_type, unit) THEN RETURN NULL; END IF;
  SELECT * INTO e FROM escalations WHERE id = NEW.id;
  PERFORM outbound_fan_out(msg_type, 'escalation:' || NEW.id, unit, jsonb_build_object('escalation', to_jsonb(e)),
    CASE WHEN TG_OP = 'INSERT' THEN NEW.created_at ELSE coalesce(NEW.done_at, NEW.created_at) END);
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER outbound_escalations_created AFTER INSERT ON escalations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outbound_on_escalation();
CREATE CONSTRAINT TRIGGER outbound_escalations_done AFTER UPDATE ON escalations
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status = 'DONE' AND OLD.status <> 'DONE')
  EXECUTE FUNCTION outbound_on_escalation();

CREATE FUNCTION outbound_on_outage() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  msg_type TEXT := CASE TG_ARGV[0] WHEN 'created' THEN 'outage.created' WHEN 'status' THEN 'outage.status_changed' ELSE 'outage.etr_changed' END;
  o RECORD;
  facts JSONB;
BEGIN
  IF NOT outbound_wanted(msg_type, NEW.unit_code) THEN RETURN NULL; END IF;
  SELECT * INTO o FROM outages WHERE id = NEW.id;
  SELECT jsonb_build_object(
    'ticketCount', (SELECT count(*) FROM tickets WHERE outage_id = NEW.id),
    'openTicketCount', (SELECT count(*) FROM tickets WHERE outage_id = NEW.id
                        AND status IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'DIPROSES')))
    INTO facts;
  PERFORM outbound_fan_out(msg_type, 'outage:' || NEW.id, NEW.unit_code,
    jsonb_build_object('outage', to_jsonb(o), 'facts', facts), NEW.updated_at);
  RETURN NULL;
END
$$;

CREATE CONSTRAINT TRIGGER outbound_outages_created AFTER INSERT ON outages
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION outbound_on_outage('created');
CREATE CONSTRAINT TRIGGER outbound_outages_status AFTER UPDATE ON outages
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status)
  EXECUTE FUNCTION outbound_on_outage('status');
CREATE CONSTRAINT TRIGGER outbound_outages_etr AFTER UPDATE ON outages
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.etr IS DISTINCT FROM OLD.etr)
  EXECUTE FUNCTION outbound_on_outage('etr');
