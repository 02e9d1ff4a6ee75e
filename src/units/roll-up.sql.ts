import { Prisma } from '../generated/prisma/client';

// R-H3: the SQL pieces every roll-up shares (the reports, the escalation aggregate). A report for a UP3
// or UID answers one row per ULP beneath it plus one for the node asked for, computed by the same
// aggregate over the union of the ULPs' rows (GROUPING SETS), so its percentiles are recomputed, never
// averaged. A UID's UP3s have no rows of their own: a UP3's report is asked for by its code.

/** What a report's statements need of the tree: the ULPs in scope (null: every ULP) and the node asked for. */
export interface UnitSpan {
  units: readonly string[] | null;
  /** the UP3 or UID whose roll-up row the report adds, or null */
  rollUp: string | null;
}

/** The condition on `units` (alias `alias`) that keeps the ULPs of the span. */
export const ulpsOf = (span: UnitSpan, alias = 'units') =>
  Prisma.sql`${Prisma.raw(alias)}.level = 'ULP' AND (${span.units === null}::boolean OR ${Prisma.raw(alias)}.code = ANY(${span.units ? [...span.units] : []}::text[]))`;

/**
 * The row a report answers beside its ULPs' (`code`, `name`, `rank`): the node asked for (rank 1); the
 * ULPs are rank 0. Reports order by rank, then code.
 */
export const nodeRows = (span: UnitSpan) => Prisma.sql`
    SELECT code, name, 1 AS rank FROM units WHERE code = ${span.rollUp}::text`;

/**
 * GROUP BY `unit` and `others`, plus (for a roll-up) the group of `others` alone, whose unit key is the
 * node's code: `key` is the column to select as the row's unit, `groupBy` the clause's body. `up3` (the
 * ULP's parent column) leads the first group when the rows arrive ordered by it.
 */
export function rollUpGroups(span: UnitSpan, unit: Prisma.Sql, others: Prisma.Sql[] = [], up3?: Prisma.Sql): { key: Prisma.Sql; groupBy: Prisma.Sql } {
  if (span.rollUp === null) return { key: unit, groupBy: Prisma.join([unit, ...others]) };
  const rest = others.length ? Prisma.join(others) : Prisma.empty;
  if (up3) {
    // (up3, unit, …) ⊃ (…): one chain, so rows arriving ordered by (up3, unit) are grouped in one pass
    // without a sort (the tickets statements read the ULPs in that order, reports.sql.ts)
    return {
      key: Prisma.sql`CASE WHEN GROUPING(${unit}) = 1 THEN ${span.rollUp}::text ELSE ${unit} END`,
      groupBy: Prisma.sql`GROUPING SETS ((${Prisma.join([up3, unit, ...others])}), (${rest}))`,
    };
  }
  return {
    key: Prisma.sql`CASE WHEN GROUPING(${unit}) = 1 THEN ${span.rollUp}::text ELSE ${unit} END`,
    groupBy: Prisma.sql`GROUPING SETS ((${Prisma.join([unit, ...others])}), (${rest}))`,
  };
}
