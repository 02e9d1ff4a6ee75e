-- Issues 27 and 30: one event's snapshot is stored once, however many endpoints it goes to. Each message
-- carried its own copy of the ~1.3 KB snapshot, and each message row is written three times (the
-- trigger's insert, the dispatcher's claim, its finish): with three endpoints a create wrote the same
-- snapshot three times, and every claim and finish rewrote it again. The snapshot now lives in
-- outbound_payloads, written once by the trigger and never again (an erasure aside, R-P3), and the
-- message row that is claimed and finished is a narrow one pointing at it.
--
-- A mail keeps its own body in outbound_messages.payload (it goes to one channel, and the over-SLA
-- digests are found by the tickets in it: outbound_messages_digest_tickets_idx).
--
-- No foreign key: its check locks the payload's row (FOR KEY SHARE) once per message, which writes that
-- row again — the very write this saves. Payloads are deleted only with the last message using them
-- (src/outbound/outbound.repository.ts, deleteWebhook).
CREATE TABLE "outbound_payloads" (
  "id" BIGSERIAL NOT NULL,
  "body" JSONB NOT NULL,
  CONSTRAINT "outbound_payloads_pkey" PRIMARY KEY ("id")
);

ALTER TABLE "outbound_messages" ALTER COLUMN "payload" DROP NOT NULL;
ALTER TABLE "outbound_messages" ADD COLUMN "payload_id" BIGINT;

-- The messages stored so far: each webhook's snapshot moved to a payload of its own.
ALTER TABLE "outbound_payloads" ADD COLUMN "message_id" TEXT;
INSERT INTO "outbound_payloads" ("body", "message_id")
  SELECT "payload", "id" FROM "outbound_messages" WHERE "channel" = 'WEBHOOK' ORDER BY "seq";
UPDATE "outbound_messages" m SET "payload_id" = p."id", "payload" = NULL
  FROM "outbound_payloads" p WHERE p."message_id" = m."id";
ALTER TABLE "outbound_payloads" DROP COLUMN "message_id";

-- Exactly one of the two: its own body, or a shared one.
ALTER TABLE "outbound_messages" ADD CONSTRAINT "outbound_messages_payload_check" CHECK (("payload" IS NULL) <> ("payload_id" IS NULL));

-- R-W2: one PENDING message per enabled endpoint that wants it, all pointing at one stored snapshot;
-- with `wake`, wakes the dispatchers at commit.
CREATE OR REPLACE FUNCTION outbound_fan_out(msg_type TEXT, subject TEXT, unit TEXT, body JSONB, at TIMESTAMPTZ, wake BOOLEAN DEFAULT true) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  stored BIGINT;
BEGIN
  INSERT INTO outbound_payloads (body)
  SELECT jsonb_build_object('type', msg_type, 'timestamp', at, 'data', body)
  WHERE EXISTS (SELECT 1 FROM webhooks w WHERE w.enabled AND outbound_webhook_matches(w.event_types, w.unit_codes, msg_type, unit))
  RETURNING id INTO stored;
  IF stored IS NULL THEN RETURN; END IF;
  INSERT INTO outbound_messages (id, channel, webhook_id, type, subject_key, unit_code, payload_id, created_at, next_attempt_at)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'WEBHOOK', w.id, msg_type, subject, unit, stored, at, at
  FROM webhooks w
  WHERE w.enabled AND outbound_webhook_matches(w.event_types, w.unit_codes, msg_type, unit);
  -- every endpoint that wanted it was disabled between the two statements: nothing to keep
  IF NOT FOUND THEN DELETE FROM outbound_payloads WHERE id = stored; RETURN; END IF;
  IF wake THEN PERFORM pg_notify('outbound_messages', ''); END IF;
END
$$;
