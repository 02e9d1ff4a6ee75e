import { ifMatchPasses, ifNoneMatchMatches, parseIfMatch } from './preconditions';

describe('If-Match (RFC 9110 §13.1.1, strong comparison)', () => {
  it.each([
    ['"3"', '"3"', true],
    ['3', '"3"', true], // the bare version API.md shows
    ['W/"3"', '"3"', false], // weak tags never match
    ['"2"', '"3"', false],
    ['"3", "4"', '"3"', true],
    ['"4", "3"', '"3"', true],
    ['"1", "2"', '"3"', false],
    ['*', '"3"', true],
  ])('%s against %s → %s', (header, current, passes) => {
    expect(ifMatchPasses(parseIfMatch(header)!, current)).toBe(passes);
  });

  it.each(['garbage', '"3', 'W/3', '3, 4', '"3" "4"', ''])('malformed %j is 400', (header) => {
    expect(() => parseIfMatch(header)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('absent is no condition', () => expect(parseIfMatch(undefined)).toBeUndefined());
});

describe('If-None-Match (RFC 9110 §13.1.2, weak comparison)', () => {
  it.each([
    ['W/"abc"', 'W/"abc"', true],
    ['"abc"', 'W/"abc"', true], // the strong form of a weak tag matches weakly
    ['W/"abc"', '"abc"', true],
    ['"x", W/"abc"', 'W/"abc"', true],
    ['*', 'W/"abc"', true],
    ['W/"abd"', 'W/"abc"', false],
    ['garbage', 'W/"abc"', false],
    ['garbage', 'garbage', false], // equal strings match only when they are a tag (the poll's fast path)
  ])('%s against %s → %s', (header, current, matches) => {
    expect(ifNoneMatchMatches(header, current)).toBe(matches);
  });
});
