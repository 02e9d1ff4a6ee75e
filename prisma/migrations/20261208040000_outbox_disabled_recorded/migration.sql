-- R-W2, R-W4, R-W5 (stop 54's audits, both rounds): an endpoint disabled (by an admin, or after five days
-- of failures) was given no message at all, so after it was enabled again a replay since a time before
-- could not send what changed meanwhile: "replays everything since a time" found nothing. A disabled
-- endpoint is now given its messages too, written FAILED with no attempt and no next one: nothing is
-- sent to it while it is disabled (a disabled endpoint is not tried, as before), and a replay or a
-- resend after it is enabled again sends them, in each ticket's order. Messages are kept as long as any
-- other (R-P3/R-P4 reach them as they reach the rest).
CREATE OR REPLACE FUNCTION outbound_wanted(msg_type TEXT, unit TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
  SELECT EXISTS (SELECT 1 FROM webhooks w WHERE outbound_webhook_matches(w.event_types, w.unit_codes, msg_type, unit))
$$;

CREATE OR REPLACE FUNCTION outbound_fan_out(msg_type TEXT, subject TEXT, unit TEXT, body JSONB, at TIMESTAMPTZ, wake BOOLEAN DEFAULT true) RETURNS VOID
LANGUAGE plpgsql AS $$
DECLARE
  stored BIGINT;
  enabled_any BOOLEAN;
BEGIN
  INSERT INTO outbound_payloads (body) VALUES (jsonb_build_object('type', msg_type, 'timestamp', at, 'data', body))
  RETURNING id INTO stored;
  WITH written AS (
    INSERT INTO outbound_messages (id, channel, webhook_id, type, subject_key, unit_code, payload_id, created_at, next_attempt_at, status)
    SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), 'WEBHOOK', w.id, msg_type, subject, unit, stored, at,
      CASE WHEN w.enabled THEN at END, CASE WHEN w.enabled THEN 'PENDING' ELSE 'FAILED' END
    FROM webhooks w
    WHERE outbound_webhook_matches(w.event_types, w.unit_codes, msg_type, unit)
    RETURNING status)
  SELECT bool_or(status = 'PENDING') INTO enabled_any FROM written;
  IF enabled_any IS NULL THEN DELETE FROM outbound_payloads WHERE id = stored; RETURN; END IF;
  IF wake AND enabled_any THEN PERFORM pg_notify('outbound_messages', ''); END IF;
END
$$;
