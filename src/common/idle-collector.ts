import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Issue 30: after a burst of creates the old generation held ~50 MiB of garbage (heapUsed 112 MiB against
// 51 MiB live in a heap snapshot) and resident memory stayed there, idle, until the next load, since V8
// collects the old generation only when it must. Once the process has been quiet for a while after
// growing, one full collection gives it back; its pause (tens of ms) never meets a busy service.
// Quiet: the event loop was at most IDLE_UTILISATION busy over the last period, or no request came in it
// (probes and scrapes aside). The second matters after a create burst with webhooks: the dispatcher goes on
// delivering the backlog for a minute or more, the loop is busy with it but no client waits on the pause.
const PERIOD_MS = 5_000;
const IDLE_UTILISATION = 0.05;
/** Heap growth since the last collection worth one: of what is used, or of what V8 holds (heapTotal). */
export const GROWTH_BYTES = 16 * 1024 * 1024;

export interface CollectorSample {
  /** event-loop utilisation over the last period, 0..1 */
  busy: number;
  /** requests that came in over the last period (probes and scrapes not counted) */
  requests: number;
  /** heapUsed now */
  used: number;
  /** heapUsed after the last collection (or the lowest seen since) */
  floor: number;
  /** heapTotal now: what V8 holds, garbage and free pages included */
  total: number;
  /** heapTotal after the last collection (or the lowest seen since) */
  totalFloor: number;
}

/** Whether the period just ended calls for a full collection. */
export function shouldCollect(sample: CollectorSample): boolean {
  const quiet = sample.busy <= IDLE_UTILISATION || sample.requests === 0;
  // V8's own collections under load can keep heapUsed down while the heap it holds has grown (the pages
  // they emptied stay until a full collection compacts and releases them): either growth counts
  return quiet && (sample.used - sample.floor >= GROWTH_BYTES || sample.total - sample.totalFloor >= GROWTH_BYTES);
}

/** Probes and scrapes every few seconds do not make a service busy. */
export const countsAsRequest = (url: string | undefined): boolean => !/^\/(health|metrics)(\/|\?|$)/.test(url ?? '');

/** `requests`: how many requests have come in so far (a counter that only grows). */
export function startIdleCollector(requests: () => number): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let last = performance.eventLoopUtilization();
  let seen = requests();
  const start = process.memoryUsage();
  let floor = start.heapUsed;
  let totalFloor = start.heapTotal;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    const count = requests();
    const memory = process.memoryUsage();
    const sample = { busy, requests: count - seen, used: memory.heapUsed, floor, total: memory.heapTotal, totalFloor };
    seen = count;
    if (!shouldCollect(sample)) {
      floor = Math.min(floor, sample.used);
      totalFloor = Math.min(totalFloor, sample.total);
      return;
    }
    gc();
    const after = process.memoryUsage();
    floor = after.heapUsed;
    totalFloor = after.heapTotal;
  }, PERIOD_MS);
  timer.unref();
  return () => clearInterval(timer);
}
