-- Issues 27 and 30 (review): outbound_fan_out as 20261206150000 wrote it asked again, before storing the
-- snapshot, whether any enabled endpoint wants the message: the question outbound_wanted already
-- answers, and every caller (the ticket, escalation and outage triggers) asks it first. The snapshot
-- is now stored at once; in the rare case that every such endpoint was disabled between the caller's
-- question and this insert, no message is written and the snapshot goes again, as before.
CREATE OR REPLACE FUNCTION outbound_fan_out(msg_type TEXT, subject TEXT, unit TEXT, body JSONB, at TIMESTAMPTZ, wake BOOLEAN DEFAULT true) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  stored BIGINT;
BEGIN
  INSERT INTO outbound_payloads (body) VALUES (jsonb_build_object('type', msg_type, 'timestamp', at, 'data', body))
  RETURNING id INTO stored;
  INSERT INTO outbound_messages (id, channel, webhook_id, type, subject_key, unit_code, payload_id, created_at, next_attempt_at)
  SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'WEBHOOK', w.id, msg_type, subject, unit, stored, at, at
  FROM webhooks w
  WHERE w.enabled AND outbound_webhook_matches(w.event_types, w.unit_codes, msg_type, unit);
  IF NOT FOUND THEN DELETE FROM outbound_payloads WHERE id = stored; RETURN; END IF;
  IF wake THEN PERFORM pg_notify('outbound_messages', ''); END IF;
END
$$;
