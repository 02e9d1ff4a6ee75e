import type { Server } from './database';

// What every scenario gets from the runner, and the rows it hands back.
export interface Row {
  scenario: string;
  metric: string;
  value: string;
  baseline?: string;
  ratio?: string;
  target?: string;
  /** undefined: informational, no target */
  met?: boolean;
}

/** A remark listed under the table, with the scenario (its id) it came from. */
export interface Note {
  scenario: string;
  text: string;
}

export interface Bench {
  root: string;
  scale: number;
  server: Server;
  secret: string;
  /** Results later scenarios compare against (e.g. the create throughput of scenario 1). */
  results: Record<string, number>;
  /** Service problems and other remarks, listed under the table. */
  notes: string[];
  log(line: string): void;
}

/** Seconds of load before a measured run, whatever the scale: the service's code must be compiled hot. */
export const WARM_UP_SECONDS = 3;

/** A count multiplied by BENCH_SCALE, never below `min`. */
export const scaled = (bench: Bench, count: number, min: number): number => Math.max(min, Math.round(count * bench.scale));

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

export const fmt = (value: number, digits = 0): string =>
  Number.isFinite(value) ? value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : 'n/a';

export const ratio = (value: number, baseline: number): string => (baseline > 0 && Number.isFinite(value) ? `${fmt(value / baseline, 2)}×` : 'n/a');

/** Polls `check` every `everyMs` until it returns true; throws after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number, everyMs = 100): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() > deadline) throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}`);
    await sleep(everyMs);
  }
}
