-- Issue 27, R-W2: the per-queue walk of 20261206190000 gave each queue up to the claim's whole room
-- (its $4), though a queue takes at most its window (the dispatcher's: 4 for a failing endpoint or the
-- mail channel, 16 for a new one, up to 1,000 by pace). With 50 endpoints 2,000 messages behind each, a
-- walk returned 7,500 rows in 18 ms for the claim to number and mostly drop. Each queue now gives at
-- most its own window: the claim's $5/$6 (queue keys and sizes) and $7 (any other queue's) are passed
-- in, as the claim already uses them to decide how many of each queue it takes.
DROP FUNCTION outbound_due_first(TIMESTAMPTZ, INTEGER, INTEGER);

CREATE FUNCTION outbound_due_first(at TIMESTAMPTZ, keys TEXT[], sizes INTEGER[], other INTEGER, scan INTEGER)
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
    ORDER BY m.seq LIMIT coalesce(sizes[array_position(keys, w.id::text)], other)) d
  WHERE w.enabled
  UNION ALL
  (SELECT m.id, m.webhook_id, m.channel, m.seq
  FROM (
    SELECT s.id, s.webhook_id, s.channel, s.seq, s.next_attempt_at, s.claimed_until
    FROM outbound_messages s
    WHERE s.webhook_id IS NULL AND s.status = 'PENDING'
    ORDER BY s.webhook_id, s.seq LIMIT scan) m
  WHERE m.next_attempt_at <= at AND (m.claimed_until IS NULL OR m.claimed_until < at)
  ORDER BY m.seq LIMIT coalesce(sizes[array_position(keys, 'EMAIL')], other))
$$;
