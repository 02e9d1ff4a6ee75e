-- The apkt_tickets_open_over_sla gauge (src/tickets/ticket-jobs.service.ts openOverSla, read at every
-- /metrics scrape) counted open tickets past their SLA with a scan of the whole table. Those are few,
-- so a partial index on exactly its predicate lets the count read only them (an index-only scan).
-- Prisma's schema has no word for a partial index: test/migrations.e2e.spec.ts lists it as raw SQL.
CREATE INDEX "tickets_open_over_sla_idx" ON "tickets"("unit_code")
  WHERE "over_sla" AND "status" IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'DIPROSES');
