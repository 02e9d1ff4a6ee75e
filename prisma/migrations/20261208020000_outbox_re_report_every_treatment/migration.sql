-- R-W1: `ticket.re_reported` for every re-report, whatever its treatment (stop 54's audit). Until now only
-- RE_REPORTED (R-R3), LAPOR_MELEBIHI_SLA (R-R2) and LAPOR_ULANG_LISTRIQU (R-I4) told it: an Update Lapor
-- (R-R1, and R-R9's explicit one, the same event) sent nothing, and a Laporan Baru or R-R4's issue-closed
-- ticket only the new ticket's `ticket.created`. The earlier ticket's SUCCESSOR_LINKED event (R-T6,
-- written by those treatments) and UPDATE_LAPOR now tell `ticket.re_reported` too, with the ticket as
-- the re-report left it.
CREATE OR REPLACE FUNCTION outbound_ticket_type(ev TEXT, from_s TEXT, to_s TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE
    WHEN ev = 'CREATED' THEN 'ticket.created'
    WHEN ev = 'SLA_BREACHED' THEN 'ticket.sla_breached'
    WHEN ev IN ('RE_REPORTED', 'LAPOR_MELEBIHI_SLA', 'LAPOR_ULANG_LISTRIQU', 'UPDATE_LAPOR', 'SUCCESSOR_LINKED') THEN 'ticket.re_reported'
    WHEN to_s = 'DITUTUP' AND from_s IS DISTINCT FROM 'DITUTUP' THEN 'ticket.closed'
    WHEN to_s IS NOT NULL AND to_s IS DISTINCT FROM from_s THEN 'ticket.status_changed'
  END
$$;
