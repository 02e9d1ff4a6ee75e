-- Issue 30, R-F1: the feed's window read by the index tickets_change_xid_number_idx, under any statistics.
-- Every replica's own watcher (src/changes/change-stream.ts) reads the feed five times a second while
-- tickets are written. Written inline, its statement was planned afresh each time on the table's
-- statistics, which lag a growing table: during a create burst (bench scenario 1, auto_explain) it
-- estimated 1,500-4,600 rows where 200-300 qualified and read the window with a Seq Scan of the whole
-- table, 18-37 ms a read at 20,000-60,000 tickets and growing with the table. Here a sequential scan
-- is off, so the window is an index range: [lower, xmax of the closing snapshot), as many rows as
-- committed since the previous read, whatever the table's size.
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
