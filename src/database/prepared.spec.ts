import { prepared } from './prepared';

describe('prepared statements of the burst paths', () => {
  it('names a text once and reuses the name; another text gets another name', () => {
    const a = prepared('SELECT $1::int AS a', [1]);
    expect(a.name).toMatch(/^apkt_\d+$/);
    expect(prepared('SELECT $1::int AS a', [2])).toEqual({ name: a.name, text: 'SELECT $1::int AS a', values: [2] });
    expect(prepared('SELECT $1::int AS b', [1]).name).not.toBe(a.name);
  });

  it('stops naming new texts past its bound instead of growing without end', () => {
    const named = Array.from({ length: 100 }, (_, i) => prepared(`SELECT ${i} AS bound_check`));
    expect(named.filter((q) => q.name === undefined).length).toBeGreaterThan(0);
    expect(named.at(-1)).toEqual({ text: 'SELECT 99 AS bound_check', values: [] });
  });
});
