import { lagMs, lsn, neededLsn, pruneSamples, type Sample } from './wal';

const sample = (epoch: number, at: number, position: bigint): Sample => ({ epoch, at, snapshot: `${epoch}:${epoch}:`, lsn: position });
// the primary flushed WAL up to 100 at t=0, 200 at t=1000, 200 at t=2000 (idle), 300 at t=3000
const SAMPLES = [sample(1, 0, 100n), sample(2, 1000, 200n), sample(3, 2000, 200n), sample(4, 3000, 300n)];

describe('R-D1 WAL positions', () => {
  it.each([
    ['0/0', 0n],
    ['0/16B3748', 0x16b3748n],
    ['1/0', 1n << 32n],
    ['A/FF', (10n << 32n) + 255n],
  ])('reads the pg_lsn %s', (text, value) => expect(lsn(text)).toBe(value));
});

describe('R-D1 replica lag', () => {
  it.each<[string, bigint, number]>([
    ['has everything the primary flushed: none', 300n, 0],
    ['is past the last sample: none', 350n, 0],
    ['misses only the last sample: since then', 250n, 500],
    ['misses what was flushed at t=1000 (the idle second counts: it still misses it)', 150n, 2500],
    ['misses even the oldest sample: at least since then', 50n, 3500],
  ])('a replica that %s', (_name, replay, expected) => expect(lagMs(SAMPLES, replay, 3500)).toBe(expected));

  it('an idle primary does not make a caught-up replica late, however long ago its last write was', () => {
    const idle = [sample(1, 0, 500n), sample(2, 60_000, 500n)];
    expect(lagMs(idle, 500n, 120_000)).toBe(0);
  });

  it('keeps one sample older than the window, so a lag beyond it still shows', () => {
    const kept = pruneSamples(SAMPLES, 3500, 1000);
    expect(kept.map((s) => s.epoch)).toEqual([3, 4]);
    expect(lagMs(kept, 150n, 3500)).toBe(1500); // > the 1000 ms that matter: skipped all the same
  });
});

describe('R-D1 read your writes', () => {
  it.each<[string, number | undefined, bigint | null]>([
    ['no write to honour: any replica', undefined, 0n],
    ['a write that ended before check 2 started: the position sampled by check 2', 1, 200n],
    ['a write that ended before check 4 started', 3, 300n],
    ['a write no check has started after yet: the primary only', 4, null],
    ['a write older than every sample: the oldest sample is past it', 0, 100n],
  ])('%s', (_name, wroteAt, expected) => expect(neededLsn(SAMPLES, wroteAt)).toBe(expected));
});
