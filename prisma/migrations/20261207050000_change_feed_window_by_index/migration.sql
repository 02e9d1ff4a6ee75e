-- Issue 30, R-F1: the feed's window read by the index tickets_change_xid_number_idx, whatever the planner
-- knows of the table. Every replica's own watcher (src/changes/change-stream.ts) reads the feed five
-- times a second while tickets are written. Written inline, its statement was planned on the table's
-- statistics; on a table PostgreSQL has none for yet (a new or restored database, a fast-growing table
-- before autovacuum's first ANALYZE) the planner takes its default selectivity for the range, estimated
-- thousands of rows where 200-300 qualified, and read the window with a Seq Scan of every ticket: bench
-- scenario 1 under auto_explain, 18-37 ms a read at 20,000-60,000 tickets; alone, without statistics,
-- 5.2 ms at 20,000 and 14.6 ms at 60,000 tickets against 1.1 ms by the index. Here a sequential scan is
-- off, so the window is an index range: [lower, xmax of the closing snapshot), as many rows as committed
-- since the previous read. (With statistics the inline statement took the index too: 1.0-1.1 ms.)
--
-- The rows of the window (prev, snap] after (after_xid, after_number), at most n, in that order; the
-- caller (src/changes/changes.repository.ts) gives lower = the largest of prev's xmin and after_xid.
-- A row visible in snap has an id below snap's xmax; one prev did not see has an id at or above prev's
-- xmin (docs/change-feed.md).
CREATE FUNCTION change_feed_window(lower BIGINT, prev pg_snapshot, snap pg_snapshot, units TEXT[], after_xid BIGINT, after_number TEXT, n INTEGER)
RETURNS SETOF tickets
LANGUAGE sql STABLE
SET enable_seqscan = off
AS $$
  SELECT t.* FROM tickets t
  WHERE t.change_xid >= lower
    AND t.change_xid < pg_snapshot_xmax(snap)::text::bigint
    AND (prev IS NULL OR NOT pg_visible_in_snapshot(t.change_xid::text::xid8, prev))
    AND pg_visible_in_snapshot(t.change_xid::text::xid8, snap)
    AND (units IS NULL OR t.unit_code = ANY (units))
    AND (after_xid IS NULL OR (t.change_xid, t.number) > (after_xid, after_number))
  ORDER BY t.change_xid, t.number
  LIMIT n
$$;
