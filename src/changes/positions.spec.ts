import { afterWindow, BEGINNING, covers, insideWindow, PositionCodec, snapshotXmin } from './positions';

describe('R-F1 change positions', () => {
  const codec = new PositionCodec('secret');

  it.each([
    ['the beginning', BEGINNING],
    ['after a whole window', afterWindow('100:105:101,103')],
    ['inside a window', insideWindow('100:105:101,103', '104:110:', '104', 'G54226000001')],
    ['inside the first window', insideWindow(null, '7:7:', '0', 'K54226000001')],
  ])('reads back %s', (_name, position) => {
    expect(codec.decode(codec.encode(position))).toEqual(position);
  });

  it.each([
    ['garbage', 'abc'],
    ['an empty string', ''],
    ['a signature of another secret', new PositionCodec('other').encode(afterWindow('1:1:'))],
    ['a tampered body', `${Buffer.from(JSON.stringify(['1:1:', null, null, null])).toString('base64url')}.${codec.encode(afterWindow('2:2:')).split('.')[1]}`],
  ])('refuses %s, a position the service never gave', (_name, raw) => {
    expect(codec.decode(raw)).toBeNull();
  });

  it('knows the lowest id a snapshot may not have seen', () => {
    expect(snapshotXmin('100:105:101,103')).toBe('100');
  });
});

describe('R-F1, R-D1 a window never closes before it opens (covers)', () => {
  it.each<[string, string, string | null, boolean]>([
    ['the beginning', '5:9:6', null, true],
    ['the same snapshot', '100:105:101,103', '100:105:101,103', true],
    ['a later one: 101 committed, 107 started and runs', '103:108:103,107', '100:105:101,103', true],
    ['an earlier one', '100:105:101,103', '103:108:103,107', false],
    ['one that still sees running what the other saw committed (102)', '100:105:101,102,103', '100:105:101,103', false],
    ['one with a lower xmax', '100:104:101', '100:105:101', false],
  ])('%s', (_name, later, earlier, expected) => expect(covers(later, earlier)).toBe(expected));
});
