-- Issue 27, R-W2: a claim wrote each message it took into every index of outbound_messages. Setting
-- claimed_by made the update non-HOT, since outbound_messages_claimed_idx names claimed_by in its
-- predicate: each claimed message got a new entry in the primary key, the subject and list indexes,
-- the index of the waiting messages (which the next walks then read twice) and that partial index.
-- Measured under psql on 117,000 waiting messages: 1,000 claimed in 36–136 ms with the index, 8 ms
-- without (every update HOT, fillfactor 50 leaves the room). Its one reader was the claim's count of
-- what is already claimed per queue, which now comes from the walk itself: among each queue's first
-- `scan` waiting messages (the only ones a claim ever takes, in order), those whose lease is not over.
-- A released claim and a retry (status still PENDING) are HOT updates too. A replay may move earlier
-- messages ahead of claimed ones past `scan`; a queue may then take more than its window for a while,
-- which the dispatcher's per-endpoint limit in flight still bounds.
DROP INDEX "outbound_messages_claimed_idx";
DROP FUNCTION outbound_due_first(TIMESTAMPTZ, TEXT[], INTEGER[], INTEGER, INTEGER);

-- Each queue's first due messages in order, at most its window (`sizes` by `keys`, else `other`) less
-- what is claimed there already (lease not over) among its first `scan` waiting.
CREATE FUNCTION outbound_due_first(at TIMESTAMPTZ, keys TEXT[], sizes INTEGER[], other INTEGER, scan INTEGER)
RETURNS TABLE (id TEXT, webhook_id UUID, channel TEXT, seq BIGINT)
LANGUAGE sql STABLE
SET enable_sort = off SET enable_hashjoin = off SET enable_mergejoin = off SET enable_seqscan = off SET enable_material = off
AS $$
  SELECT d.id, d.webhook_id, d.channel, d.seq
  FROM webhooks w
  CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE k.claimed_until >= at) AS busy
    FROM (
      SELECT k.claimed_until FROM outbound_messages k
      WHERE k.webhook_id = w.id AND k.status = 'PENDING'
      ORDER BY k.webhook_id, k.seq LIMIT scan) k) b
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
    ORDER BY m.seq LIMIT greatest(0, coalesce(sizes[array_position(keys, w.id::text)], other) - b.busy)) d
  WHERE w.enabled
  UNION ALL
  (SELECT m.id, m.webhook_id, m.channel, m.seq
  FROM (
    SELECT s.id, s.webhook_id, s.channel, s.seq, s.next_attempt_at, s.claimed_until
    FROM outbound_messages s
    WHERE s.webhook_id IS NULL AND s.status = 'PENDING'
    ORDER BY s.webhook_id, s.seq LIMIT scan) m
  WHERE m.next_attempt_at <= at AND (m.claimed_until IS NULL OR m.claimed_until < at)
  ORDER BY m.seq LIMIT greatest(0, coalesce(sizes[array_position(keys, 'EMAIL')], other) - (
    SELECT count(*) FILTER (WHERE k.claimed_until >= at)
    FROM (
      SELECT k.claimed_until FROM outbound_messages k
      WHERE k.webhook_id IS NULL AND k.status = 'PENDING'
      ORDER BY k.webhook_id, k.seq LIMIT scan) k)))
$$;
