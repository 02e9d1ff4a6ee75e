// R-D1: pure pieces of the read routing — WAL positions, a replica's lag, what a caller's last write
// needs — tested by tables of cases (wal.spec.ts); ReadRouter applies them.

/** A pg_lsn's text `X/Y` as a number of bytes into the WAL. */
export function lsn(text: string): bigint {
  const [hi, lo] = text.split('/');
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

/**
 * One look at the primary, taken by the health check: when it was asked (`epoch`, counting the checks
 * started), its snapshot, and its flushed WAL position read after that snapshot. Every transaction
 * visible in `snapshot`, and every write whose answer was sent before the check started, has its commit
 * record below `lsn` — a commit is flushed before it becomes visible and before its answer is sent
 * (synchronous_commit on, PostgreSQL's default; docs/replicas.md) — and `lsn` is as far as a standby can
 * have received (the primary sends only flushed WAL).
 */
export interface Sample {
  epoch: number;
  at: number;
  snapshot: string;
  lsn: bigint;
}

/**
 * How far behind the primary a standby that has replayed up to `replay` is, in ms: none when it has
 * everything the primary had flushed at the last sample (an idle primary does not make a standby look
 * late, as `now() - pg_last_xact_replay_timestamp()` would), else the time since the first sample whose
 * flushed WAL it has not replayed. `samples` are oldest first and must reach back past the lag that
 * matters (ReadRouter keeps one sample older than REPLICA_MAX_LAG_MS), so a lag beyond them still counts as late.
 */
export function lagMs(samples: readonly Sample[], replay: bigint, now: number): number {
  const latest = samples[samples.length - 1];
  if (!latest || replay >= latest.lsn) return 0;
  const missing = samples.find((s) => s.lsn > replay) as Sample;
  return Math.max(0, now - missing.at);
}

/** Drops samples older than `keepMs`, keeping the newest of those so that a long lag stays measurable. */
export function pruneSamples(samples: Sample[], now: number, keepMs: number): Sample[] {
  let first = 0;
  while (first + 1 < samples.length && samples[first + 1].at < now - keepMs) first++;
  return samples.slice(first);
}

/**
 * The WAL position a standby must have replayed to answer a caller whose last write ended at check epoch
 * `wroteAt` (undefined: no write to honour): the first sample started after that write ended — its
 * position is past the write's commit. No such sample yet: null, only the primary may answer.
 */
export function neededLsn(samples: readonly Sample[], wroteAt: number | undefined): bigint | null {
  if (wroteAt === undefined) return 0n;
  const after = samples.find((s) => s.epoch > wroteAt);
  return after ? after.lsn : null;
}
