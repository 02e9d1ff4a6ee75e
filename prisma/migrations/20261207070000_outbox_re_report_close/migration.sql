-- R-W1: a re-report that closes the previous ticket (SELESAI → DITUTUP, closeReason RE_REPORTED, R-R3)
-- is one ticket event, which was told only as `ticket.re_reported`: an endpoint subscribed to
-- `ticket.closed` alone never learnt of those closes, although it hears the ones made by a confirmation
-- (R-C2) and by the auto-close job (R-J1). Such an event now writes both messages, `ticket.re_reported`
-- then `ticket.closed` (in that order for the ticket, R-W2), each to the endpoints that want it.
CREATE OR REPLACE FUNCTION outbound_on_ticket_event() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  msg_type TEXT := outbound_ticket_type(NEW.type, NEW.from_status::text, NEW.to_status::text);
  closes BOOLEAN := msg_type = 'ticket.re_reported' AND NEW.to_status::text = 'DITUTUP' AND NEW.from_status::text IS DISTINCT FROM 'DITUTUP';
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
  IF outbound_wanted(msg_type, t.unit_code) THEN
    PERFORM outbound_fan_out(msg_type, 'ticket:' || NEW.ticket_number, t.unit_code,
      jsonb_build_object('ticket', to_jsonb(t), 'event', to_jsonb(NEW)), NEW.recorded_at, false);
  END IF;
  IF closes AND outbound_wanted('ticket.closed', t.unit_code) THEN
    PERFORM outbound_fan_out('ticket.closed', 'ticket:' || NEW.ticket_number, t.unit_code,
      jsonb_build_object('ticket', to_jsonb(t), 'event', to_jsonb(NEW)), NEW.recorded_at, false);
  END IF;
  RETURN NULL;
END
$$;
