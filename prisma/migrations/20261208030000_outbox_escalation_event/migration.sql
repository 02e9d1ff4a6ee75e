-- R-W3: a webhook's body carries the entity as it is after the change "and the event (§Event of API.md)".
-- An escalation's messages held the escalation alone; one that names a ticket now also carries the
-- ticket event its change wrote in the same transaction (R-T6): ESCALATED for escalation.created,
-- ESCALATION_DONE for escalation.done (stop 54's audit). An escalation without a ticket has no event.
-- The trigger is deferred: at commit the event row is there.
CREATE OR REPLACE FUNCTION outbound_on_escalation() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  msg_type TEXT := CASE WHEN TG_OP = 'INSERT' THEN 'escalation.created' ELSE 'escalation.done' END;
  unit TEXT;
  e RECORD;
  ev JSONB;
BEGIN
  SELECT tk.unit_code INTO unit FROM tickets tk WHERE tk.number = NEW.ticket_number;
  IF NOT outbound_wanted(msg_type, unit) THEN RETURN NULL; END IF;
  SELECT * INTO e FROM escalations WHERE id = NEW.id;
  IF NEW.ticket_number IS NOT NULL THEN
    SELECT to_jsonb(x) INTO ev FROM ticket_events x
    WHERE x.ticket_number = NEW.ticket_number AND x.type = CASE WHEN TG_OP = 'INSERT' THEN 'ESCALATED' ELSE 'ESCALATION_DONE' END
    ORDER BY x.id DESC LIMIT 1;
  END IF;
  PERFORM outbound_fan_out(msg_type, 'escalation:' || NEW.id, unit,
    jsonb_build_object('escalation', to_jsonb(e)) || CASE WHEN ev IS NULL THEN '{}'::jsonb ELSE jsonb_build_object('event', ev) END,
    CASE WHEN TG_OP = 'INSERT' THEN NEW.created_at ELSE coalesce(NEW.done_at, NEW.created_at) END);
  RETURN NULL;
END
$$;
