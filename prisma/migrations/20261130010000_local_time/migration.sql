-- R-T7: a time as the unit's agents read it, `30/11/2026 09:14 WIB` (WITA, WIT for Asia/Makassar,
-- Asia/Jayapura; else the UTC offset, e.g. `UTC+05:30`), for notes written by the jobs' set-based
-- statements. The same text as localTimeText in src/common/local-time.ts (a test compares them).
CREATE FUNCTION local_time_text(at timestamptz, zone text) RETURNS text
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT to_char(at AT TIME ZONE zone, 'DD/MM/YYYY HH24:MI') || ' ' || CASE zone
    WHEN 'Asia/Jakarta' THEN 'WIB' WHEN 'Asia/Makassar' THEN 'WITA' WHEN 'Asia/Jayapura' THEN 'WIT'
    ELSE 'UTC' || CASE WHEN (at AT TIME ZONE zone) < (at AT TIME ZONE 'UTC') THEN '-' ELSE '+' END
      || to_char(abs(extract(epoch FROM (at AT TIME ZONE zone) - (at AT TIME ZONE 'UTC'))) * interval '1 second', 'HH24:MI')
  END
$$;
