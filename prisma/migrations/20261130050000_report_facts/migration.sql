-- R-M1 stored facts for the reports of DOMAIN.md §13, back-filled from the history (R-T6) of the tickets
-- that exist, and the indexes the reports read by. Written by hand (the Prisma CLI's schema engine cannot
-- run offline); test/migrations.e2e.spec.ts checks it against schema.prisma and test/reports-backfill
-- checks the back-fill. The live rules are in src/tickets/rules/stored-facts.rule.ts (status moves),
-- insertTicketStatement (creation) and markSlaBreachesBatch (R-J3); this back-fill reads them off the events:
--   respondedAt   = the first event that moved the ticket out of LAPOR;
--   nyalaAt       = the first event that moved it to NYALA_SEMENTARA or NYALA;
--   slaBreachedAt = slaDeadline when the ticket was open at its deadline: overSla is set now, R-J3
--                   wrote SLA_BREACHED, it was created open at or after its deadline, or it stopped
--                   being open at or after its deadline.
WITH facts AS (
    SELECT e.ticket_number,
        min(e.occurred_at) FILTER (WHERE e.from_status = 'LAPOR' AND e.to_status IS NOT NULL AND e.to_status <> 'LAPOR') AS responded_at,
        min(e.occurred_at) FILTER (WHERE e.to_status IN ('NYALA_SEMENTARA', 'NYALA') AND e.type <> 'CREATED') AS nyala_at,
        bool_or(e.type = 'SLA_BREACHED') AS job_marked,
        bool_or(e.type = 'CREATED' AND e.to_status = 'LAPOR' AND e.recorded_at >= t.sla_deadline) AS created_late,
        min(e.occurred_at) FILTER (WHERE e.from_status IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES')
            AND e.to_status NOT IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES')) AS left_open_at
    FROM ticket_events e JOIN tickets t ON t.number = e.ticket_number
    GROUP BY e.ticket_number)
UPDATE tickets t SET
    responded_at = coalesce(t.responded_at, f.responded_at),
    nyala_at = coalesce(t.nyala_at, f.nyala_at),
    sla_breached_at = coalesce(t.sla_breached_at,
        CASE WHEN t.over_sla OR f.job_marked OR f.created_late OR f.left_open_at >= t.sla_deadline THEN t.sla_deadline END)
FROM facts f
WHERE f.ticket_number = t.number
  AND (f.responded_at IS NOT NULL OR f.nyala_at IS NOT NULL OR t.over_sla OR f.job_marked OR f.created_late OR f.left_open_at >= t.sla_deadline);

-- R-M2…R-M4 select a unit's tickets by the day of reportedAt; escalations by the day they were queued.
-- One unit reads its range of (unit_code, reported_at); all units read the period through the btree on
-- reported_at that the lookup migration (20261130040000) made.
CREATE INDEX "tickets_unit_code_reported_at_idx" ON "tickets" ("unit_code", "reported_at");
CREATE INDEX "escalations_created_at_idx" ON "escalations" ("created_at");

-- Raw-SQL addition (listed in the schema-match test): the re-reports that leave an event on the ticket
-- they counted on (R-R1, R-R2), by time, so a report's period reads those and not the whole history.
CREATE INDEX "ticket_events_re_report_idx" ON "ticket_events" ("occurred_at") WHERE "type" IN ('UPDATE_LAPOR', 'LAPOR_MELEBIHI_SLA');
