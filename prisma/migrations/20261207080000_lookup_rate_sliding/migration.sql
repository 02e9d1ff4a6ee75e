-- R-P5: "at most LOOKUP_RATE_PER_MINUTE customer lookups a minute" held over any 60 seconds, not per
-- clock minute: with one counter per UTC minute a person could make the limit's lookups at :59 and as
-- many again at :00 (twice the limit within two seconds, seen by an outside audit). Each person now
-- has one row with the times of their lookups of the last minute (at most the limit's number), shared
-- by every replica; lookup_rate_take counts and answers in one call, under the row's lock.
DROP TABLE "lookup_rate_windows";

CREATE TABLE "lookup_rate_log" (
    "sub" TEXT NOT NULL,
    "stamps" TIMESTAMPTZ(3)[] NOT NULL DEFAULT '{}',
    CONSTRAINT "lookup_rate_log_pkey" PRIMARY KEY ("sub")
);

-- One lookup of `p_sub` at `p_now` under a limit of `p_limit` a minute: 0 when it is allowed (and
-- counted), else the milliseconds until the oldest of the last minute's lookups is a minute old (the
-- Retry-After); a refused lookup is not counted.
CREATE FUNCTION lookup_rate_take(p_sub TEXT, p_now TIMESTAMPTZ, p_limit INT) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
  held TIMESTAMPTZ[];
  recent TIMESTAMPTZ[];
BEGIN
  INSERT INTO lookup_rate_log (sub) VALUES (p_sub) ON CONFLICT (sub) DO NOTHING;
  SELECT stamps INTO held FROM lookup_rate_log WHERE sub = p_sub FOR UPDATE;
  SELECT coalesce(array_agg(s ORDER BY s), '{}') INTO recent FROM unnest(held) AS s WHERE s > p_now - interval '1 minute';
  IF cardinality(recent) < p_limit THEN
    UPDATE lookup_rate_log SET stamps = recent || p_now WHERE sub = p_sub;
    RETURN 0;
  END IF;
  UPDATE lookup_rate_log SET stamps = recent WHERE sub = p_sub;
  RETURN greatest(1, ceil(extract(epoch FROM (recent[cardinality(recent) - p_limit + 1] + interval '1 minute' - p_now)) * 1000))::bigint;
END
$$;
