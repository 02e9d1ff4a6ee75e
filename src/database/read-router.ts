import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { PrismaPg } from '@prisma/adapter-pg';
import type { Pool, PoolClient } from 'pg';
import { Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PrismaClient } from '../generated/prisma/client';
import { logFault, rootLogger } from '../logging/logger';
import { Metrics } from '../metrics/metrics';
import { databaseFault, isPoolWaitTimeout } from './faults';
import { PrismaService, resilientPool } from './prisma.service';
import { lagMs, lsn, neededLsn, pruneSamples, type Sample } from './wal';

/** A database a read may run on: the primary, or a streaming replica (R-D1). */
export interface Reader {
  readonly name: string;
  readonly replica: boolean;
  readonly pool: Pool;
  readonly prisma: PrismaClient;
}

/** Who reads: a caller's `sub` (read-your-writes), or nobody in particular. */
export type ReaderOf = { sub: string } | undefined;

interface Replica {
  reader: Reader;
  /** the read pool's connections checked out now: ended when the check finds the replica gone (their reads then run on the primary) */
  busy: Set<PoolClient>;
  /** the check's own connection, with a client-side timeout: a replica that hangs must not stall the checks */
  probe: Pool;
  up: boolean;
  replay: bigint;
  lagMs: number;
}

/** The health check's period: the primary's sample and each replica's replay position. */
export const CHECK_MS = 500;
const CHECK_TIMEOUT_MS = 2000;
/** How long past DB_STATEMENT_TIMEOUT_MS a replica read waits for any answer before the replica counts as down. */
const REPLICA_READ_GRACE_MS = 1000;
// A write is remembered this long; past it REPLICA_MAX_LAG_MS alone guarantees a usable replica has it.
const MIN_WRITE_TTL_MS = 60_000;

/** Ends a checked-out connection under its query: the query fails with "Connection terminated". */
function abandon(client: PoolClient): void {
  (client as unknown as { connection?: { stream?: { destroy(): void } } }).connection?.stream?.destroy();
}

const checkPool = (url: string | undefined) => ({
  connectionString: url,
  max: 1,
  connectionTimeoutMillis: CHECK_TIMEOUT_MS,
  statement_timeout: CHECK_TIMEOUT_MS,
  query_timeout: CHECK_TIMEOUT_MS,
});

/**
 * R-D1, in one place: which database answers a read. Lists, lookups, reports and the change feed ask it
 * for a reader (`read`); writes and everything inside a write's transaction never do and stay on the
 * primary (PrismaService). Replicas are checked on a timer, never per request: each check samples the
 * primary (its snapshot and WAL positions) and reads each replica's replay position; a replica that is
 * down, promoted, or later than REPLICA_MAX_LAG_MS is skipped, and with none left the primary answers.
 * Read-your-writes per caller: the end of a caller's write (any non-GET request, `wrote`) is stamped with
 * the count of checks started; a replica answers that caller only once it has replayed past the first
 * sample started after it. That costs the write path nothing (no WAL position read per write), and a
 * caller's reads go to the primary for at most one check period plus the replica's lag after its write.
 * Readiness (/health/ready) never looks at replicas.
 */
@Injectable()
export class ReadRouter implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = rootLogger.child({ context: 'ReadRouter' });
  readonly primary: Reader;
  private readonly replicas: Replica[];
  private readonly sampler: Pool | undefined;
  private samples: Sample[] = [];
  private epoch = 0;
  private readonly writes = new Map<string, { epoch: number; at: number }>();
  private readonly maxLagMs: number;
  private readonly writeTtlMs: number;
  private timer: NodeJS.Timeout | null = null;
  private checking: Promise<void> | null = null;
  private turn = 0;
  /** Reads answered per database, for tests and metrics. */
  readonly served = new Map<string, number>();

  constructor(
    prisma: PrismaService,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly clock: Clock,
    metrics: Metrics,
  ) {
    this.primary = { name: 'primary', replica: false, pool: prisma.pool, prisma };
    this.maxLagMs = config.replicaMaxLagMs ?? 5000;
    this.writeTtlMs = Math.max(MIN_WRITE_TTL_MS, 2 * this.maxLagMs + 2 * CHECK_MS);
    this.replicas = (config.databaseReplicaUrls ?? []).map((url, i) => {
      const name = `replica-${i + 1}`;
      const pool = resilientPool(
        // query_timeout: a replica that stops answering without closing (a host gone from the network)
        // ends each read a moment after the statement timeout it never got to apply; the read then runs
        // on the primary (on()), and its connection is dropped, so no read waits on it for ever
        { connectionString: url, max: config.dbPoolSize, connectionTimeoutMillis: Math.min(config.dbPoolWaitMs, CHECK_TIMEOUT_MS), statement_timeout: config.dbStatementTimeoutMs, query_timeout: config.dbStatementTimeoutMs + REPLICA_READ_GRACE_MS },
        name,
      );
      const probe = resilientPool(checkPool(url), `${name}-check`);
      const busy = new Set<PoolClient>();
      pool.on('acquire', (client) => busy.add(client));
      pool.on('release', (_error, client) => busy.delete(client));
      pool.on('remove', (client) => busy.delete(client));
      return { reader: { name, replica: true, pool, prisma: new PrismaClient({ adapter: new PrismaPg(pool) }) }, busy, probe, up: false, replay: 0n, lagMs: Infinity };
    });
    // its own connection to the primary: a saturated main pool must not stall the checks
    this.sampler = this.replicas.length ? resilientPool(checkPool(config.databaseUrl), 'primary-check') : undefined;
    if (this.replicas.length) this.registerGauges(metrics);
  }

  // What operators alert on (docs/operations.md): each replica's lag and whether reads go to it.
  private registerGauges(metrics: Metrics): void {
    const each = (value: (s: ReturnType<ReadRouter['state']>[number]) => number) => async () =>
      this.state().map((s) => ({ labels: { replica: s.name }, value: value(s) }));
    metrics.registerGauge('apkt_replica_lag_seconds', 'How far a read replica is behind the primary, by the last check (R-D1); +Inf when down', ['replica'], each((s) => (s.up ? s.lagMs / 1000 : Infinity)));
    metrics.registerGauge('apkt_replica_usable', '1 when reads may go to the replica (up, in recovery, within REPLICA_MAX_LAG_MS), else 0', ['replica'], each((s) => Number(s.usable)));
    metrics.registerGauge('apkt_routed_reads', 'Reads the read router sent to each database since start (a count)', ['database'], async () =>
      [...this.served].map(([database, value]) => ({ labels: { database }, value })),
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.replicas.length) return;
    await this.check();
    this.timer = setInterval(() => void this.check(), CHECK_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking;
    for (const r of this.replicas) {
      await r.reader.prisma.$disconnect();
      if (!r.reader.pool.ending) await r.reader.pool.end();
      if (!r.probe.ending) await r.probe.end();
    }
    if (this.sampler && !this.sampler.ending) await this.sampler.end();
  }

  /** A caller's write has answered (a non-GET request): its next reads must see it. */
  wrote(sub: string): void {
    if (!this.replicas.length) return;
    this.writes.set(sub, { epoch: this.epoch, at: this.clock.now().getTime() });
  }

  /** The database for a read of `who`: a usable replica that has what `who` wrote, else the primary. */
  reader(who: ReaderOf): Reader {
    return this.route(who, 0n)?.reader ?? this.primary;
  }

  /**
   * Runs a read on the reader of `who`. A replica that fails as "down" is marked so and the read runs
   * again on the primary, so a replica dying between two checks costs a retry, not an error.
   */
  async read<T>(who: ReaderOf, work: (reader: Reader) => Promise<T>): Promise<T> {
    return this.on(this.reader(who), work);
  }

  /**
   * The change feed's reader (docs/replicas.md): a window whose end is `end` needs a database that has
   * replayed every transaction visible in it; a window still to be closed (`end` null) is closed at a
   * sampled primary snapshot that `acceptable` allows (one not older than the window's start) and that a
   * usable replica has replayed — the newest such — else on the primary at its own snapshot (end null).
   * A standby's own snapshot is never used: in recovery pg_current_snapshot() lists no running transaction.
   */
  feed(who: ReaderOf, end: string | null, acceptable: (snapshot: string) => boolean): { reader: Reader; end: string | null } {
    if (end !== null) {
      const sample = this.samples.find((s) => s.snapshot === end);
      const replica = sample ? this.route(who, sample.lsn) : undefined;
      return { reader: replica?.reader ?? this.primary, end };
    }
    for (let i = this.samples.length - 1; i >= 0; i--) {
      const sample = this.samples[i];
      if (!acceptable(sample.snapshot)) continue;
      const replica = this.route(who, sample.lsn);
      if (replica) return { reader: replica.reader, end: sample.snapshot };
    }
    return { reader: this.primary, end: null };
  }

  /** Runs `work` on `reader`, falling back to the primary when a replica turns out to be down. */
  async on<T>(reader: Reader, work: (reader: Reader) => Promise<T>): Promise<T> {
    this.count(reader);
    if (!reader.replica) return work(reader);
    try {
      return await work(reader);
    } catch (error) {
      // down, or its pool's connections all stuck (a replica that hangs): the primary answers; a
      // statement timeout (a read too slow) is the read's own fault and is not run again
      if (databaseFault(error) !== 'down' && !isPoolWaitTimeout(error)) throw error;
      const replica = this.replicas.find((r) => r.reader === reader);
      if (replica) replica.up = false;
      this.logger.warn({ err: error, replica: reader.name }, 'a replica failed a read; it is skipped until a check finds it back, the primary answers');
      this.count(this.primary);
      return work(this.primary);
    }
  }

  /** The replicas as the last check saw them (operations, tests). */
  state(): { name: string; up: boolean; lagMs: number; usable: boolean; caughtUp: boolean }[] {
    const latest = this.samples[this.samples.length - 1];
    return this.replicas.map((r) => ({ name: r.reader.name, up: r.up, lagMs: r.lagMs, usable: this.usable(r), caughtUp: r.up && latest !== undefined && r.replay >= latest.lsn }));
  }

  /** One health check (every CHECK_MS; tests call it instead of waiting). */
  check(): Promise<void> {
    this.checking ??= this.checkOnce().finally(() => (this.checking = null));
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    const epoch = ++this.epoch; // before the primary is asked: its answer is later than every write ended so far
    const now = this.clock.now().getTime();
    try {
      const { rows } = await (this.sampler as Pool).query<{ snapshot: string; flushed: string }>(
        'SELECT pg_current_snapshot()::text AS snapshot, pg_current_wal_flush_lsn()::text AS flushed',
      );
      const sample = { epoch, at: now, snapshot: rows[0].snapshot, lsn: lsn(rows[0].flushed) };
      this.samples = pruneSamples([...this.samples, sample], now, this.maxLagMs + 2 * CHECK_MS);
    } catch (error) {
      logFault(true, (level) => this.logger[level]({ err: error }, 'sampling the primary failed; replicas are judged on the samples taken before'));
    }
    await Promise.all(this.replicas.map((r) => this.checkReplica(r, now)));
    for (const [sub, w] of this.writes) if (now - w.at > this.writeTtlMs) this.writes.delete(sub);
  }

  private async checkReplica(replica: Replica, now: number): Promise<void> {
    const wasUsable = this.usable(replica);
    try {
      const { rows } = await replica.probe.query<{ recovery: boolean; replay: string | null }>(
        'SELECT pg_is_in_recovery() AS recovery, pg_last_wal_replay_lsn()::text AS replay',
      );
      // a promoted replica is another primary now: its data may differ, it is no replica of ours
      replica.up = rows[0].recovery && rows[0].replay !== null;
      if (replica.up) {
        replica.replay = lsn(rows[0].replay as string);
        replica.lagMs = lagMs(this.samples, replica.replay, now);
      }
    } catch (error) {
      replica.up = false;
      if (wasUsable) this.logger.warn({ err: error, replica: replica.reader.name, abandoned: replica.busy.size }, 'a replica does not answer; reads go elsewhere');
      // the reads already sent to it would wait for their query_timeout (DB_STATEMENT_TIMEOUT_MS + 1 s):
      // their connections are ended now, so each fails as 'down' and runs on the primary (on())
      for (const client of replica.busy) abandon(client);
      replica.busy.clear();
    }
    if (wasUsable !== this.usable(replica)) this.logger.info({ replica: replica.reader.name, ...this.state().find((s) => s.name === replica.reader.name) }, 'replica usable changed');
  }

  /**
   * Up, and behind by no more than REPLICA_MAX_LAG_MS until the next check: the lag is measured from the
   * first primary sample the replica has not replayed, whose changes may be a check period older, and it
   * grows for another period before the next check; so a replica is skipped once its measured lag leaves
   * less than two periods (stop 54's replica audit saw reads 5.5–6 s stale at 5 s). One that has
   * replayed the latest sample stays usable whatever REPLICA_MAX_LAG_MS is.
   */
  private usable(r: Replica): boolean {
    return r.up && (r.lagMs === 0 || r.lagMs + 2 * CHECK_MS <= this.maxLagMs);
  }

  /** A usable replica that has replayed `atLeast` and what `who` last wrote (round robin), else undefined. */
  private route(who: ReaderOf, atLeast: bigint): Replica | undefined {
    if (!this.replicas.length) return undefined;
    const write = who ? this.writes.get(who.sub) : undefined;
    const needed = neededLsn(this.samples, write?.epoch);
    if (needed === null) return undefined;
    const floor = needed > atLeast ? needed : atLeast;
    const fit = this.replicas.filter((r) => this.usable(r) && r.replay >= floor);
    return fit.length ? fit[this.turn++ % fit.length] : undefined;
  }

  private count(reader: Reader): void {
    this.served.set(reader.name, (this.served.get(reader.name) ?? 0) + 1);
  }
}
