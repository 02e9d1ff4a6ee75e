import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// Issue 30: after a burst of creates the old generation held ~50 MiB of garbage (heapUsed 112 MiB against
// 51 MiB live in a heap snapshot) and resident memory stayed there, idle, until the next load, since V8
// collects the old generation only when it must. Once the process has been idle for a while after
// growing, one full collection gives it back: it runs only when the event loop was at most IDLE_UTILISATION
// busy over the last period, so its pause (tens of ms) never meets a busy service.
const PERIOD_MS = 5_000;
const IDLE_UTILISATION = 0.05;
/** Heap growth since the last collection worth one. */
const GROWTH_BYTES = 16 * 1024 * 1024;

export function startIdleCollector(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  let last = performance.eventLoopUtilization();
  let floor = process.memoryUsage().heapUsed;
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const busy = performance.eventLoopUtilization(now, last).utilization;
    last = now;
    const used = process.memoryUsage().heapUsed;
    if (busy > IDLE_UTILISATION) return;
    if (used - floor < GROWTH_BYTES) {
      floor = Math.min(floor, used);
      return;
    }
    gc();
    floor = process.memoryUsage().heapUsed;
  }, PERIOD_MS);
  timer.unref();
  return () => clearInterval(timer);
}
