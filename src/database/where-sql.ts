import { Prisma } from '../generated/prisma/client';

// A Prisma `where` as SQL, for a read that must run through cancellable() on the pool (Prisma cannot
// cancel a running statement): the list keeps building its conditions as Prisma conditions, and its
// statement runs here. Only what those conditions use is known — AND, OR, a value (null: IS NULL), and
// equals, in, notIn, gt, gte, lt, lte; anything else throws, so a new kind of filter cannot be dropped
// silently.
type Where = Record<string, unknown>;

const COMPARISONS: Record<string, string> = { equals: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' };

const isValue = (value: unknown): boolean => value === null || value instanceof Date || typeof value !== 'object';

function compare(column: Prisma.Sql, operator: string, value: unknown): Prisma.Sql {
  if (value === null && operator === 'equals') return Prisma.sql`${column} IS NULL`;
  if (operator === 'in' || operator === 'notIn') {
    const values = value as unknown[];
    if (!values.length) return operator === 'in' ? Prisma.sql`FALSE` : Prisma.sql`TRUE`;
    return Prisma.sql`${column} ${Prisma.raw(operator === 'in' ? 'IN' : 'NOT IN')} (${Prisma.join(values)})`;
  }
  const sign = COMPARISONS[operator];
  if (!sign || !isValue(value) || value === null) throw new Error(`whereSql: unsupported condition ${operator} ${JSON.stringify(value)}`);
  return Prisma.sql`${column} ${Prisma.raw(sign)} ${value}`;
}

/** `where` over the columns that `column` names for each field (a field it does not know throws). */
export function whereSql(where: Where, column: (field: string) => string | undefined): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === 'AND' || key === 'OR') {
      const each = (Array.isArray(value) ? value : [value]).map((w: Where) => whereSql(w, column));
      if (key === 'AND') parts.push(...each);
      else parts.push(each.length ? Prisma.sql`(${Prisma.join(each, ' OR ')})` : Prisma.sql`FALSE`);
      continue;
    }
    const name = column(key);
    if (!name) throw new Error(`whereSql: unknown field ${key}`);
    const sql = Prisma.raw(`"${name}"`);
    if (isValue(value)) parts.push(compare(sql, 'equals', value));
    else for (const [operator, operand] of Object.entries(value as Where)) if (operand !== undefined) parts.push(compare(sql, operator, operand));
  }
  return parts.length ? Prisma.sql`(${Prisma.join(parts, ' AND ')})` : Prisma.sql`TRUE`;
}
