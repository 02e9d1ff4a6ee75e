-- Issues 27 and 30.
-- R-W2's order check (no earlier PENDING message of the subject to the endpoint) read from the index
-- that has the subject, under any statistics. With statistics from when few messages waited (a fresh
-- table, or a burst since the last ANALYZE), the planner took `status = 'PENDING'` to match almost
-- nothing and read the check from outbound_messages_pending_seq_idx instead: every earlier waiting
-- message, once per candidate. Measured (30,000 delivered messages analysed at 300, then 3,000
-- waiting): 1.6-2.6 s per claim, so the longer the backlog the further the dispatcher fell behind
-- (scenario 16 at full scale: commit -> delivery p50 8-12 s in some runs, before this migration too).
-- Written so that no partial index's predicate matches it, the check can only use the index with its
-- equality columns: outbound_messages_webhook_id_subject_key_seq_idx.
CREATE OR REPLACE FUNCTION outbound_due_first(at TIMESTAMPTZ, n INTEGER)
RETURNS TABLE (id TEXT, webhook_id UUID, channel TEXT, seq BIGINT)
LANGUAGE sql STABLE SET enable_sort = off SET enable_hashjoin = off SET enable_mergejoin = off AS $$
  SELECT m.id, m.webhook_id, m.channel, m.seq
  FROM outbound_messages m
  WHERE m.status = 'PENDING' AND m.next_attempt_at <= at
    AND (m.claimed_until IS NULL OR m.claimed_until < at)
    AND (m.webhook_id IS NULL OR EXISTS (SELECT 1 FROM webhooks w WHERE w.id = m.webhook_id AND w.enabled))
    AND NOT EXISTS (SELECT 1 FROM outbound_messages p
      WHERE p.webhook_id = m.webhook_id AND p.subject_key = m.subject_key AND p.seq < m.seq AND (p.status || '') = 'PENDING')
  ORDER BY m.seq LIMIT n
$$;
