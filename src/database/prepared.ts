import type { QueryConfig } from 'pg';

// Named prepared statements for the few statements on the burst paths (a create's idempotency claim,
// insert and stored answer; a dashboard's change marker). An unnamed statement is parsed and planned by
// PostgreSQL on every call: for the create's insert (one CTE over units, policies, the number sequence,
// the ticket and its CREATED event) that was two thirds of its server CPU (743 µs of 1,091 µs per create,
// measured with 16 connections; BENCHMARKS.md). A named one is parsed once per connection, and its plan
// is cached by the server.
//
// Each distinct text gets its own name (node-postgres refuses one name for two texts). The texts must be
// constant; should one ever be built per call, it stops being prepared after MAX_NAMES instead of
// growing the map and every connection's statement cache without bound. (The create's insert, a 3 KB
// text built anew on each call, carries its own name instead: tickets.repository.ts, INSERT_NAME.)
const MAX_NAMES = 64;
const names = new Map<string, string>();

export function prepared(text: string, values: unknown[] = []): QueryConfig {
  let name = names.get(text);
  if (name === undefined && names.size < MAX_NAMES) {
    name = `apkt_${names.size + 1}`;
    names.set(text, name);
  }
  return name === undefined ? { text, values } : { name, text, values };
}
