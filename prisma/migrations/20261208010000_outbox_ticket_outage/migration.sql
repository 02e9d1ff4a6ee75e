-- R-W3 (API.md Ticket): a webhook's ticket is the Ticket of the API, whose `outage` is
-- `{ id, title, status, etr }` while the ticket is attached. The snapshot held only the ticket's row, so
-- its messages carried `outage: { id }` alone. The trigger now stores the outage as it is at the change
-- (`ticketOutage`, beside `ticket` and `event`; `outage` is the key of outage.* messages), read by
-- primary key only for a ticket attached to one. Snapshots written before keep `{ id }`.
CREATE OR REPLACE FUNCTION outbound_on_ticket_event() RETURNS TRIGGER
LANGUAGE plpgsql AS $$
DECLARE
  msg_type TEXT := outbound_ticket_type(NEW.type, NEW.from_status::text, NEW.to_status::text);
  closes BOOLEAN := msg_type = 'ticket.re_reported' AND NEW.to_status::text = 'DITUTUP' AND NEW.from_status::text IS DISTINCT FROM 'DITUTUP';
  t RECORD;
  body JSONB;
  told BOOLEAN;
  told_closed BOOLEAN;
BEGIN
  IF NEW.type = 'SLA_BREACHED' THEN
    INSERT INTO outbound_breaches (event_id, ticket_number, unit_code, breached_at)
    SELECT NEW.id, NEW.ticket_number, a.code, NEW.occurred_at
    FROM tickets tk, outbound_unit_and_ancestors(tk.unit_code) a WHERE tk.number = NEW.ticket_number
    ON CONFLICT DO NOTHING;
  END IF;
  IF msg_type IS NULL THEN RETURN NULL; END IF;
  SELECT * INTO t FROM tickets WHERE number = NEW.ticket_number;
  told := outbound_wanted(msg_type, t.unit_code);
  told_closed := closes AND outbound_wanted('ticket.closed', t.unit_code);
  IF told OR told_closed THEN
    body := jsonb_build_object('ticket', to_jsonb(t), 'event', to_jsonb(NEW));
    IF t.outage_id IS NOT NULL THEN
      body := body || jsonb_build_object('ticketOutage',
        (SELECT jsonb_build_object('id', o.id, 'title', o.title, 'status', o.status, 'etr', o.etr) FROM outages o WHERE o.id = t.outage_id));
    END IF;
    IF told THEN
      PERFORM outbound_fan_out(msg_type, 'ticket:' || NEW.ticket_number, t.unit_code, body, NEW.recorded_at, false);
    END IF;
    IF told_closed THEN
      PERFORM outbound_fan_out('ticket.closed', 'ticket:' || NEW.ticket_number, t.unit_code, body, NEW.recorded_at, false);
    END IF;
  END IF;
  RETURN NULL;
END
$$;
