-- Issues 27 and 30, R-W2: the claim's walk (outbound_due_first) reads its order check (no earlier
-- PENDING message of the subject to the endpoint) from outbound_messages_webhook_id_subject_key_seq_idx,
-- under any statistics and whatever the rows' width. Two other plans were seen in scenario 16
-- (auto_explain) once 20261206150000 had made the message rows narrow:
--  * planned while the table was small (its first claims; PostgreSQL 18 caches an SQL function's plan):
--    the check read outbound_messages_webhook_id_seq_idx, the list's index, which costs the same on a
--    small table, and filtered on the subject: every earlier message to the endpoint, per candidate,
--    and 3.4 s per claim once the burst had come (commit -> delivery p50 24 s);
--  * planned on a busy table: a Seq Scan of the waiting messages kept in a Materialize, every candidate
--    tested against every one: 8,317 x 1,000, 640-870 ms per claim, deliveries ~1,400/s from ~3,000/s.
--
-- The list's index becomes partial on the webhook channel, a predicate the check does not state, so
-- the check cannot use it (the list, src/outbound/outbound.repository.ts, states it); sequential scans
-- and materialisation are off in the function, as sorts and hash and merge joins already were.
DROP INDEX "outbound_messages_webhook_id_seq_idx";
CREATE INDEX "outbound_messages_webhook_seq_idx" ON "outbound_messages"("webhook_id", "seq") WHERE "channel" = 'WEBHOOK';

ALTER FUNCTION outbound_due_first(TIMESTAMPTZ, INTEGER) SET enable_seqscan = off;
ALTER FUNCTION outbound_due_first(TIMESTAMPTZ, INTEGER) SET enable_material = off;
