// The list's change marker (TicketsRepository.changeMarker): the newest change in a scope and the count
// and version sum of the rows changed in the 10 s before it.
//
// The window is bounded on both sides, by the newest change and 10 s before it: with only the lower
// bound (a value the planner cannot see, it comes from the subquery) PostgreSQL guesses a third of the
// table matches and, at 330k tickets, plans ALL_UNITS as a parallel sequential scan (190 ms; 1-4.6 s
// under load, issue 30). Two bounds of one column are a range, guessed at 0.5 %: an index range scan
// (0.2 ms). test/overload.e2e.spec.ts EXPLAINs each of them.
export const UNIT_MARKER = `WITH m AS (SELECT max(updated_at) AS at FROM tickets WHERE unit_code = $1)
  SELECT max(updated_at) AS max_at, count(*)::int AS n, sum(version)::text AS v FROM tickets
  WHERE unit_code = $1 AND updated_at BETWEEN (SELECT at FROM m) - interval '10 seconds' AND (SELECT at FROM m)`;
// R-H2: the marker of several ULPs, each one's latest change read from the end of its own index range
export const UNITS_MARKER = `WITH m AS (
    SELECT max(x.m) AS at FROM unnest($1::text[]) AS s(scope_unit), LATERAL (SELECT max(updated_at) AS m FROM tickets WHERE unit_code = s.scope_unit) x)
  SELECT max(updated_at) AS max_at, count(*)::int AS n, sum(version)::text AS v FROM tickets
  WHERE unit_code = ANY($1::text[]) AND updated_at BETWEEN (SELECT at FROM m) - interval '10 seconds' AND (SELECT at FROM m)`;
export const ALL_MARKER = `WITH m AS (SELECT max(updated_at) AS at FROM tickets)
  SELECT max(updated_at) AS max_at, count(*)::int AS n, sum(version)::text AS v FROM tickets
  WHERE updated_at BETWEEN (SELECT at FROM m) - interval '10 seconds' AND (SELECT at FROM m)`;
