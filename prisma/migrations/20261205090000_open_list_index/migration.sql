-- Issue 26 (R-H2, R-H3): the dashboards' list of open tickets (`open=true`) walked each ULP's whole
-- (unit_code, updated_at, number) range, oldest first, and dropped the done tickets one heap row at a
-- time: at 50k tickets a ULP with 1 % open, a page of 50 read ~4,900 rows, and a UP3's page ten times
-- that. Open tickets are the few, so a partial index on exactly OPEN (src/tickets/rules/lifecycle.rule.ts;
-- NYALA_SEMENTARA is not open, R-R5) serves the list in its own order: a ULP's page reads its 50 rows,
-- and a UP3's page (tickets.repository.ts `page`) reads each ULP's first keys from this index alone.
-- Prisma's schema has no word for a partial index: test/migrations.e2e.spec.ts lists it as raw SQL.
CREATE INDEX "tickets_open_list_idx" ON "tickets"("unit_code", "updated_at", "number")
  WHERE "status" IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES');
