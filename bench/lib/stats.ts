/** Nearest-rank percentile of unsorted values (p in 0..100); NaN when empty. */
export function percentile(values: number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export const max = (values: number[]): number => values.reduce((m, v) => (v > m ? v : m), -Infinity);

/** The median seconds of `runs` runs of `work`, after one warm-up run (plans cached, pages in memory). */
export async function timed(runs: number, work: () => Promise<void>): Promise<number> {
  await work();
  const seconds: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    await work();
    seconds.push((performance.now() - started) / 1000);
  }
  return percentile(seconds, 50);
}
