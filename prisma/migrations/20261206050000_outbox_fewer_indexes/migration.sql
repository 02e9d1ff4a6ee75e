-- Issues 27 and 30: each outbox message is written three times (the trigger's insert, the dispatcher's
-- claim, its finish), and none of those updates is HOT (they change `claimed_by` and `status`, which
-- partial indexes name), so each version of the ~1.5 KB row went into every index. Measured on its own
-- (12,000 messages to 3 endpoints from 16 connections, then claimed and finished in the dispatcher's
-- batches; PostgreSQL's CPU from /proc, three alternating runs): claim + finish 163–193 µs of database
-- CPU per message before, 100–131 µs after; WAL 6.5–7.8 KB per message before, 2.8–3.1 KB after.
--
-- Dropped, each an index no query needed:
--  * (status, next_attempt_at): the claim walks outbound_messages_pending_seq_idx;
--  * seq's unique index: seq comes from its sequence and nothing looks a message up by it alone;
--  * (webhook_id, created_at): an endpoint's messages are listed by seq (now (webhook_id, seq), which the
--    list used to sort for) and a replay reads that endpoint's messages;
--  * (channel, unit_code, created_at) on every message: only mail is listed by unit, so it is two
--    partial indexes on the mail alone.
DROP INDEX "outbound_messages_status_next_attempt_at_idx";
DROP INDEX "outbound_messages_seq_key";
DROP INDEX "outbound_messages_webhook_id_created_at_idx";
DROP INDEX "outbound_messages_channel_unit_code_created_at_idx";
CREATE INDEX "outbound_messages_webhook_id_seq_idx" ON "outbound_messages"("webhook_id", "seq");
-- Prisma's schema has no word for a partial index: test/migrations.e2e.spec.ts lists these as raw SQL.
CREATE INDEX "outbound_messages_mail_unit_idx" ON "outbound_messages"("unit_code", "seq") WHERE "channel" = 'EMAIL';
CREATE INDEX "outbound_messages_mail_seq_idx" ON "outbound_messages"("seq") WHERE "channel" = 'EMAIL';
-- Room on each page for a message's later versions: its claim and finish land beside it instead of on
-- a new page (half the WAL above; the heap 49 MB instead of 72 MB for those 12,000 messages).
ALTER TABLE "outbound_messages" SET (fillfactor = 50);
