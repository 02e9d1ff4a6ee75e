-- Issue 27, R-W2: one dead endpoint must not hold up the others. The claim's walk (outbound_due_first)
-- read the first 1,000 waiting messages of all queues together, in order. An endpoint that answers
-- nothing has its messages claimed four at a time, each attempt ending at the 10 s timeout, so once it had
-- more than 1,000 waiting at the head of the outbox, every claim found only its messages and no other
-- endpoint got any: bench scenario 16, a replay to three endpoints with the first timing out, delivered
-- nothing to the two healthy ones for ten minutes.
--
-- The walk now goes queue by queue: each enabled endpoint, and the mail channel, gives at most `n` of its
-- due messages from among its first `scan` waiting ones, along outbound_messages_pending_queue_idx
-- (webhook_id, seq), which replaces outbound_messages_pending_seq_idx (seq): the same rows, so no more
-- index writes. The order check (no earlier PENDING message of the subject to the endpoint) and the
-- planner settings are as before (20261206053000, 20261206160000).
DROP FUNCTION outbound_due_first(TIMESTAMPTZ, INTEGER);
DROP INDEX "outbound_messages_pending_seq_idx";
CREATE INDEX "outbound_messages_pending_queue_idx" ON "outbound_messages"("webhook_id", "seq") WHERE "status" = 'PENDING';

CREATE FUNCTION outbound_due_first(at TIMESTAMPTZ, n INTEGER, scan INTEGER)
RETURNS TABLE (id TEXT, webhook_id UUID, channel TEXT, seq BIGINT)
LANGUAGE sql STABLE
SET enable_sort = off SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off SET enable_material = off
AS $$
  SELECT d.id, d.webhook_id, d.channel, d.seq
  FROM webhooks w
  CROSS JOIN LATERAL (
    SELECT m.id, m.webhook_id, m.channel, m.seq
    FROM (
      SELECT s.id, s.webhook_id, s.channel, s.seq, s.subject_key, s.next_attempt_at, s.claimed_until
      FROM outbound_messages s
      WHERE s.webhook_id = w.id AND s.status = 'PENDING'
      ORDER BY s.webhook_id, s.seq LIMIT scan) m
    WHERE m.next_attempt_at <= at AND (m.claimed_until IS NULL OR m.claimed_until < at)
      AND NOT EXISTS (SELECT 1 FROM outbound_messages p
        WHERE p.webhook_id = m.webhook_id AND p.subject_key = m.subject_key AND p.seq < m.seq AND (p.status || '') = 'PENDING')
    ORDER BY m.seq LIMIT n) d
  WHERE w.enabled
  UNION ALL
  (SELECT m.id, m.webhook_id, m.channel, m.seq
  FROM (
    SELECT s.id, s.webhook_id, s.channel, s.seq, s.next_attempt_at, s.claimed_until
    FROM outbound_messages s
    WHERE s.webhook_id IS NULL AND s.status = 'PENDING'
    ORDER BY s.webhook_id, s.seq LIMIT scan) m
  WHERE m.next_attempt_at <= at AND (m.claimed_until IS NULL OR m.claimed_until < at)
  ORDER BY m.seq LIMIT n)
$$;
