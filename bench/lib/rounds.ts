import type autocannon from 'autocannon';
import { ratio } from './context';
import { count } from './load';
import { percentile } from './stats';

// The alternating comparisons of scenarios 1 and 18 (issue 30): raw SQL and HTTP take turns in rounds,
// each from an empty outbox, and are compared over all rounds.

/** One measured run: how many writes it finished, in how long, and its latency. */
export interface Run {
  done: number;
  seconds: number;
  p50: number;
  p99: number;
}

export const rate = (run: Run): number => run.done / run.seconds;

/** An autocannon run as a Run, counting the answers with `status`. */
export const httpRun = (result: autocannon.Result, status: number): Run => ({ done: count(result, status), seconds: result.duration, p50: result.latency.p50, p99: result.latency.p99 });

/** A run of a round, and how long the outbox then took to drain (its webhooks delivered). */
export interface Round extends Run {
  drainSeconds: number;
}

/**
 * Rounds taken together: writes per second over their total time, and until their webhooks were delivered
 * (each run's time and its drain's); p50 the median of the rounds', p99 the highest.
 */
export function pooled(rounds: Round[]): { done: number; perSecond: number; untilDelivered: number; p50: number; p99: number } {
  const sum = (of: (r: Round) => number) => rounds.reduce((n, r) => n + of(r), 0);
  const done = sum((r) => r.done);
  const seconds = sum((r) => r.seconds);
  return {
    done,
    perSecond: done / seconds,
    untilDelivered: done / (seconds + sum((r) => r.drainSeconds)),
    p50: percentile(rounds.map((r) => r.p50), 50),
    p99: Math.max(...rounds.map((r) => r.p99)),
  };
}

/** Each round's ratio of `a`'s rate to `b`'s, for a row's text. */
export const roundRatios = (a: Round[], b: Round[]): string => a.map((r, i) => ratio(rate(r), rate(b[i]))).join(', ');
