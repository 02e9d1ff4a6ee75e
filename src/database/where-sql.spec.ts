import { Prisma } from '../generated/prisma/client';
import { whereSql } from './where-sql';

const COLUMNS: Record<string, string> = { unitCode: 'unit_code', status: 'status', updatedAt: 'updated_at', number: 'number', urgent: 'urgent', closedAt: 'closed_at' };
const column = (field: string) => COLUMNS[field];
const at = new Date('2026-11-30T01:00:00Z');

// The list's Prisma conditions as the statement that cancellable() runs (issue 14 point 18).
describe('whereSql', () => {
  it.each<[string, Record<string, unknown>, string, unknown[]]>([
    ['nothing', {}, 'TRUE', []],
    ['a value', { unitCode: '542' }, '("unit_code" = $1)', ['542']],
    ['a boolean and null', { urgent: false, closedAt: null }, '("urgent" = $1 AND "closed_at" IS NULL)', [false]],
    ['in / notIn', { status: { in: ['LAPOR', 'NYALA'] }, unitCode: { notIn: ['543'] } }, '("status" IN ($1,$2) AND "unit_code" NOT IN ($3))', ['LAPOR', 'NYALA', '543']],
    ['an empty in matches nothing, an empty notIn everything', { status: { in: [] }, unitCode: { notIn: [] } }, '(FALSE AND TRUE)', []],
    ['a range', { updatedAt: { gte: at, lt: at } }, '("updated_at" >= $1 AND "updated_at" < $2)', [at, at]],
    ['undefined is no condition', { unitCode: undefined, status: { in: undefined } }, 'TRUE', []],
    [
      'AND of an OR (the cursor)',
      { AND: [{ unitCode: '542' }, { OR: [{ updatedAt: { gt: at } }, { updatedAt: at, number: { gt: 'G1' } }] }] },
      '(("unit_code" = $1) AND ((("updated_at" > $2) OR ("updated_at" = $3 AND "number" > $4))))',
      ['542', at, at, 'G1'],
    ],
  ])('%s', (_name, where, text, values) => {
    const sql: Prisma.Sql = whereSql(where, column);
    expect(sql.text.replace(/\s+/g, ' ')).toBe(text);
    expect(sql.values).toEqual(values);
  });

  it.each<[string, Record<string, unknown>]>([
    ['an unknown field', { nope: 1 }],
    ['an operator it does not know', { status: { not: 'LAPOR' } }],
    ['a relation filter', { unitCode: { some: { code: '542' } } }],
  ])('refuses %s instead of dropping it', (_name, where) => {
    expect(() => whereSql(where, column)).toThrow(/whereSql/);
  });
});
