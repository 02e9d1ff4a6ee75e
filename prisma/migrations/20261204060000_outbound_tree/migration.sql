-- R-W7 with R-H1…R-H3: a unit of any level may have notification addresses, and a webhook may name
-- units of any level. A breach is kept once per unit that is told of it (the ticket's ULP and every unit
-- above it, as the tree is when the ticket goes over SLA), so each unit's digest marks its own rows.
ALTER TABLE "outbound_breaches" DROP CONSTRAINT "outbound_breaches_pkey";
ALTER TABLE "outbound_breaches" ALTER COLUMN "unit_code" TYPE VARCHAR(5);
ALTER TABLE "outbound_breaches" ADD CONSTRAINT "outbound_breaches_pkey" PRIMARY KEY ("event_id", "unit_code");
ALTER TABLE "outbound_messages" ALTER COLUMN "unit_code" TYPE VARCHAR(5);

-- The unit and every unit above it (the tree has no cycle: R-H4 refuses one).
CREATE FUNCTION outbound_unit_and_ancestors(unit TEXT) RETURNS TABLE (code TEXT)
LANGUAGE sql STABLE AS $$
  WITH RECURSIVE up AS (
    SELECT u.code::text AS code, u.parent_code::text AS parent FROM units u WHERE u.code = unit
    UNION ALL
    SELECT u.code::text, u.parent_code::text FROM units u JOIN up ON u.code = up.parent
  )
  SELECT up.code FROM up
$$;

-- R-W1: an endpoint's unit codes cover their subtrees.
CREATE OR REPLACE FUNCTION outbound_webhook_matches(event_types TEXT[], unit_codes TEXT[], msg_type TEXT, msg_unit TEXT) RETURNS BOOLEAN
LANGUAGE sql STABLE AS $$
  SELECT ('*' = ANY(event_types) OR msg_type = ANY(event_types))
     AND (cardinality(unit_codes) = 0 OR msg_unit = ANY(unit_codes)
          OR EXISTS (SELECT 1 FROM outbound_unit_and_ancestors(msg_unit) a WHERE a.code = ANY(unit_codes)))
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
    jsonb_build_object('ticket', to_jsonb(t), 'event', to_jsonb(NEW)), NEW.recorded_at);
  RETURN NULL;
END
$$;
