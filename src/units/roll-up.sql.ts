import { Prisma } from '../generated/prisma/client';

// R-H3: the SQL pieces every roll-up shares (the reports, the escalation aggregate). A report for a UP3
// or UID answers one row per ULP beneath it plus one for the node, computed by the same aggregate over
// the union of the ULPs' rows (GROUPING SETS), so its percentiles are recomputed, never averaged. A UID
// also answers one row per UP3 beneath it (a UID compares its UP3s), grouped by each ULP's parent the
// same way, in the same pass.

/** What a report's statements need of the tree: the ULPs in scope (null: every ULP) and the node asked for. */
export interface UnitSpan {
  units: readonly string[] | null;
  /** the UP3 or UID whose roll-up row the report adds, or null */
  rollUp: string | null;
  /** the node is a UID: a row per UP3 beneath it as well (its ULPs' parents) */
  up3Rows?: boolean;
}

/** The condition on `units` (alias `alias`) that keeps the ULPs of the span. */
export const ulpsOf = (span: UnitSpan, alias = 'units') =>
  Prisma.sql`${Prisma.raw(alias)}.level = 'ULP' AND (${span.units === null}::boolean OR ${Prisma.raw(alias)}.code = ANY(${span.units ? [...span.units] : []}::text[]))`;

/**
 * The rows a report answers beside its ULPs' (`code`, `name`, `rank`): the UP3s beneath a UID (rank 1)
 * and the node (rank 2); the ULPs are rank 0. Reports order by rank, then code.
 */
export const nodeRows = (span: UnitSpan) => Prisma.sql`
    SELECT code, name, 1 AS rank FROM units WHERE ${span.up3Rows === true}::boolean AND level = 'UP3' AND parent_code = ${span.rollUp}::text
    UNION ALL
    SELECT code, name, 2 FROM units WHERE code = ${span.rollUp}::text`;

/**
 * GROUP BY `unit` and `others`, plus (for a roll-up) the group of `others` alone, whose unit key is the
 * node's code, and (for a UID) the groups of `up3` and `others`, whose key is the UP3's code: `key` is
 * the column to select as the row's unit, `groupBy` the clause's body. `up3` is the ULP's parent column.
 */
export function rollUpGroups(span: UnitSpan, unit: Prisma.Sql, others: Prisma.Sql[] = [], up3?: Prisma.Sql): { key: Prisma.Sql; groupBy: Prisma.Sql } {
  if (span.rollUp === null) return { key: unit, groupBy: Prisma.join([unit, ...others]) };
  const rest = others.length ? Prisma.join(others) : Prisma.empty;
  if (up3) {
    // (up3, unit, …) ⊃ (up3, …) ⊃ (…): one chain, so rows arriving ordered by (up3, unit) are grouped in
    // one pass without a sort (the tickets statements read the ULPs in that order, reports.sql.ts)
    return {
      key: span.up3Rows
        ? Prisma.sql`CASE WHEN GROUPING(${unit}) = 0 THEN ${unit} WHEN GROUPING(${up3}) = 0 THEN ${up3} ELSE ${span.rollUp}::text END`
        : Prisma.sql`CASE WHEN GROUPING(${unit}) = 1 THEN ${span.rollUp}::text ELSE ${unit} END`,
      groupBy: Prisma.sql`GROUPING SETS ((${Prisma.join([up3, unit, ...others])}), ${span.up3Rows ? Prisma.sql`(${Prisma.join([up3, ...others])}),` : Prisma.empty} (${rest}))`,
    };
  }
  return {
    key: Prisma.sql`CASE WHEN GROUPING(${unit}) = 1 THEN ${span.rollUp}::text ELSE ${unit} END`,
    groupBy: Prisma.sql`GROUPING SETS ((${Prisma.join([unit, ...others])}), (${rest}))`,
  };
}
