import { placementRefusal, type TreeUnit, UnitTree } from './unit-tree.rules';

const units: TreeUnit[] = [
  { code: '51', name: 'UID 51', level: 'UID', parentCode: null },
  { code: '5101', name: 'UP3 5101', level: 'UP3', parentCode: '51' },
  { code: '5102', name: 'UP3 5102', level: 'UP3', parentCode: '51' },
  { code: '511', name: 'ULP 511', level: 'ULP', parentCode: '5101' },
  { code: '512', name: 'ULP 512', level: 'ULP', parentCode: '5101' },
  { code: '514', name: 'ULP 514', level: 'ULP', parentCode: '5102' },
  { code: '599', name: 'ULP 599', level: 'ULP', parentCode: null },
];
const tree = new Map(units.map((u) => [u.code, u]));
const unit = (code: string, level: TreeUnit['level'], parentCode: string | null): TreeUnit => ({ code, name: code, level, parentCode });
const free = { children: 0, tickets: false };

describe('R-H1 R-H4 placing a unit', () => {
  it.each<[string, TreeUnit, { children: number; tickets: boolean } | null, string | null]>([
    ['a new ULP under a UP3', unit('513', 'ULP', '5101'), null, null],
    ['a ULP without a parent (as registered before levels)', unit('513', 'ULP', null), null, null],
    ['a ULP moved to another UP3', unit('511', 'ULP', '5102'), { children: 0, tickets: true }, null],
    ['a ULP code of 4 digits', unit('5130', 'ULP', '5101'), null, 'CODE'],
    ['a UP3 code of 1 digit', unit('5', 'UP3', '51'), null, 'CODE'],
    ['a UID code of 5 digits', unit('51234', 'UID', null), null, null],
    ['an unknown parent', unit('513', 'ULP', '5199'), null, 'UNKNOWN_PARENT'],
    ['a ULP under a UID (a skipped level)', unit('513', 'ULP', '51'), null, 'LEVEL'],
    ['a UP3 under a ULP', unit('5103', 'UP3', '511'), null, 'LEVEL'],
    ['a UID with a parent', unit('52', 'UID', '51'), null, 'LEVEL'],
    ['a UP3 without a parent (below UID, a parent one level up)', unit('5103', 'UP3', null), null, 'LEVEL'],
    ['a unit its own parent', unit('5101', 'UP3', '5101'), free, 'CYCLE'],
    ['a UID under a UP3 beneath it', unit('51', 'UID', '5101'), { children: 2, tickets: false }, 'CYCLE'],
    ['a UP3 with ULPs becoming a UID', unit('5101', 'UID', null), { children: 2, tickets: false }, 'LEVEL_IN_USE'],
    ['a ULP with tickets becoming a UP3', unit('599', 'UP3', '51'), { children: 0, tickets: true }, 'LEVEL_IN_USE'],
    ['a ULP without tickets becoming a UP3', unit('599', 'UP3', '51'), free, null],
  ])('%s', (_, next, use, refusal) => {
    expect(placementRefusal(tree, next, use)?.kind ?? null).toBe(refusal);
  });
});

describe('R-H2 R-H3 the ULPs beneath a unit', () => {
  const indexed = new UnitTree('1', units);
  it.each<[string, string[]]>([
    ['51', ['511', '512', '514']],
    ['5101', ['511', '512']],
    ['511', ['511']],
    ['599', ['599']],
    ['9999', ['9999']],
  ])('%s', (code, ulps) => {
    expect(indexed.ulpsUnder(code)).toEqual(ulps);
  });

  it.each<[string, string[]]>([
    ['51', ['51', '5101', '5102', '511', '512', '514']],
    ['5101', ['5101', '511', '512']],
    ['511', ['511']],
    ['9999', ['9999']],
  ])('R-W7 the units of any level at or beneath %s', (code, subtree) => {
    expect(indexed.subtree(code)).toEqual(subtree);
  });

  it('knows who lies beneath whom', () => {
    expect(indexed.isWithin('511', '51')).toBe(true);
    expect(indexed.isWithin('514', '5101')).toBe(false);
    expect(indexed.isWithin('51', '5101')).toBe(false);
  });
});
