import { databaseFault } from '../database/faults';
import { logFault } from '../logging/logger';
import { Inject, Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { SchedulerRegistry } from '@nestjs/schedule';
import { Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PrismaService } from '../database/prisma.service';
import { EscalationService } from '../escalation/escalation.service';
import { oldestExpiredKeyDue, purgeExpiredKeys } from '../http/idempotency.repository';
import { ItsmService } from '../itsm/itsm.service';
import { OutagesService, PROPAGATION_BATCH } from '../outages/outages.service';
import { Metrics } from '../metrics/metrics';
import { TicketJobsService } from '../tickets/ticket-jobs.service';
import { PrivacyService } from '../privacy/privacy.service';
import { LookupRateRepository } from '../personal-data-access/lookup-rate.repository';
import { tracing } from '../tracing/state';

export const JOB_NAMES = ['autoClose', 'autoTransfer', 'slaBreach', 'escalationLease', 'itsmWaitingClose', 'outagePropagation', 'idempotencyRetention', 'personalDataRetention', 'personalDataHousekeeping'] as const;
export type JobName = (typeof JOB_NAMES)[number];

/** Called after each committed batch; tests use it to inject a crash between batches. */
export type BatchHook = (job: JobName, batchIndex: number, count: number) => void | Promise<void>;

const BATCH = 200;
const TRANSFER_BATCH = 50; // each transfer creates a ticket: smaller batches keep transactions short
const PURGE_BATCH = 1000; // one indexed delete of small rows: a day of a busy centre is a few hundred batches
const MAX_BATCHES_PER_RUN = 1000;
const RETENTION_BATCH = 2000; // R-P4: set-based statements per batch over done tickets (which nothing else writes): fewer round trips per ticket

// Runs every job every JOBS_INTERVAL_MS in every replica (R-J1…R-J6, DOMAIN §9). Coordination between
// replicas is in the database (each batch claims its rows with SKIP LOCKED); the in-process flag only
// stops one replica from overlapping its own runs when a run takes longer than the interval.
@Injectable()
export class JobsService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Jobs');
  private running: Promise<unknown> | null = null;
  private stopped = false;

  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scheduler: SchedulerRegistry,
    private readonly ticketJobs: TicketJobsService,
    private readonly escalations: EscalationService,
    private readonly itsm: ItsmService,
    private readonly outages: OutagesService,
    private readonly metrics: Metrics,
    private readonly prisma: PrismaService,
    private readonly privacy: PrivacyService,
    private readonly lookupRate: LookupRateRepository,
  ) {}

  onApplicationBootstrap(): void {
    for (const job of JOB_NAMES) this.metrics.jobActions.inc({ job, action: ACTION[job] }, 0); // scrapeable from the start
    this.registerGauges();
    if (!this.config.jobsEnabled) return;
    const timer = setInterval(() => {
      if (this.running || this.stopped) return;
      this.running = this.runAll()
        // the database going away is expected and retried by the next run (issue 14): a warning, not an error
        .catch((error: Error) => logFault(databaseFault(error) !== undefined, (level) => this.logger[level]({ err: error }, 'job run failed; the next run continues')))
        .finally(() => (this.running = null));
    }, this.config.jobsIntervalMs);
    this.scheduler.addInterval('jobs', timer);
  }

  /** What operators alert on, read at each scrape (issue 13): every replica answers the same, jobs on or off. */
  private registerGauges(): void {
    const seconds = (since: Date | null, now: Date) => (since ? Math.max(0, (now.getTime() - since.getTime()) / 1000) : 0);
    this.metrics.registerGauge('apkt_job_lag_seconds', 'Now minus the due time of the oldest item a job has not handled yet (0: nothing due)', ['job'], async () => {
      const now = this.clock.now();
      const [tickets, queue, itsm, outage, keys, personalData] = await Promise.all([
        this.ticketJobs.oldestDue(now),
        this.escalations.queueGauges(now),
        this.itsm.oldestWaitingCloseDue(now),
        this.outages.oldestUnfinishedMoveAt(),
        oldestExpiredKeyDue(this.prisma.pool, now),
        this.privacy.retentionDueSince(now),
      ]);
      return [
        { labels: { job: 'autoClose' }, value: seconds(tickets.autoClose, now) },
        { labels: { job: 'autoTransfer' }, value: seconds(tickets.autoTransfer, now) },
        { labels: { job: 'slaBreach' }, value: seconds(tickets.slaBreach, now) },
        { labels: { job: 'escalationLease' }, value: seconds(queue.oldestLeaseDue, now) },
        { labels: { job: 'itsmWaitingClose' }, value: seconds(itsm, now) },
        { labels: { job: 'outagePropagation' }, value: seconds(outage, now) },
        { labels: { job: 'idempotencyRetention' }, value: seconds(keys, now) },
        { labels: { job: 'personalDataRetention' }, value: seconds(personalData, now) },
        { labels: { job: 'personalDataHousekeeping' }, value: 0 }, // one pass per run: nothing waits for it
      ];
    });
    this.metrics.registerGauge('apkt_tickets_open_over_sla', 'Open tickets past their SLA deadline (R-J3)', [], async () => [{ value: await this.ticketJobs.openOverSla() }]);
    // issue 32: the tickets dashboard's per-unit figures and the database pool, for its alerts
    const byUnit = cachedFor(OPEN_BY_UNIT_MS, () => this.ticketJobs.openByUnit());
    this.metrics.registerGauge('apkt_tickets_open', 'Open tickets by unit (refreshed at most once a minute)', ['unit'], async () =>
      (await byUnit()).map((row) => ({ labels: { unit: row.unit }, value: row.open })),
    );
    this.metrics.registerGauge('apkt_tickets_open_over_sla_by_unit', 'Open tickets past their SLA deadline by unit (refreshed at most once a minute)', ['unit'], async () =>
      (await byUnit()).map((row) => ({ labels: { unit: row.unit }, value: row.overSla })),
    );
    this.metrics.registerGauge('apkt_db_pool_connections', "Connections of this replica's pool by state (total, idle, waiting: requests waiting for one)", ['state'], () => {
      const pool = this.prisma.pool;
      return Promise.resolve([
        { labels: { state: 'total' }, value: pool.totalCount },
        { labels: { state: 'idle' }, value: pool.idleCount },
        { labels: { state: 'waiting' }, value: pool.waitingCount },
      ]);
    });
    this.metrics.registerGauge('apkt_db_pool_max', "Size of this replica's pool (DB_POOL_SIZE)", [], () => Promise.resolve([{ value: this.config.dbPoolSize }]));
    this.metrics.registerGauge('apkt_escalations_open', 'Open items of the back-office queue, by category', ['category'], async () =>
      Object.entries((await this.escalations.queueGauges(this.clock.now())).openByCategory).map(([category, value]) => ({ labels: { category }, value })),
    );
    this.metrics.registerGauge('apkt_escalation_oldest_open_age_seconds', 'Age of the oldest open item of the back-office queue (0: none open)', [], async () => {
      const now = this.clock.now();
      return [{ value: seconds((await this.escalations.queueGauges(now)).oldestOpenAt, now) }];
    });
  }

  /** Nest's first close phase: the run in progress finishes before the pool closes (PrismaService, last phase). */
  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.scheduler.doesExist('interval', 'jobs')) this.scheduler.deleteInterval('jobs');
    await this.running;
  }

  /** One run of every job at the clock's current time. */
  async runAll(hook?: BatchHook): Promise<Record<JobName, number>> {
    const result = {} as Record<JobName, number>;
    for (const job of JOB_NAMES) result[job] = await this.run(job, hook);
    return result;
  }

  /** Runs one job until nothing is due (or the per-run cap); returns how many items it acted on. A trace of its own. */
  run(job: JobName, hook?: BatchHook): Promise<number> {
    return tracing.rootSpan(`job ${job}`, { 'apkt.job': job }, () => this.runBatches(job, hook));
  }

  private async runBatches(job: JobName, hook?: BatchHook): Promise<number> {
    const now = this.clock.now();
    const started = process.hrtime.bigint();
    let total = 0;
    for (let batch = 0; batch < MAX_BATCHES_PER_RUN && !this.stopped; batch++) {
      // a fresh time per batch: a long run's last batch commits seconds after its first, and an
      // updatedAt from the run's start would go backwards for a poller of the list (issue 15)
      const count = await this.batch(job, batch === 0 ? now : this.clock.now());
      total += count;
      if (count) this.metrics.jobActions.inc({ job, action: ACTION[job] }, count);
      await hook?.(job, batch, count);
      if (count < BATCH_OF[job]) break;
    }
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    this.metrics.jobRunDuration.observe({ job }, seconds);
    if (total) this.logger.log({ job, count: total, durationMs: Math.round(seconds * 1000), at: now.toISOString() }, `${job}: ${total} acted on`);
    return total;
  }

  private batch(job: JobName, now: Date): Promise<number> {
    switch (job) {
      case 'autoClose':
        return this.ticketJobs.autoCloseBatch(now, BATCH);
      case 'autoTransfer':
        return this.ticketJobs.autoTransferBatch(now, TRANSFER_BATCH);
      case 'slaBreach':
        return this.ticketJobs.markSlaBreachesBatch(now, BATCH);
      case 'escalationLease':
        return this.escalations.releaseExpiredBatch(now, BATCH);
      case 'itsmWaitingClose':
        return this.itsm.closeStaleWaitingBatch(now, BATCH);
      case 'outagePropagation':
        return this.outages.propagateBatch(now, PROPAGATION_BATCH); // R-O3: finishes what a crash left
      case 'idempotencyRetention':
        return purgeExpiredKeys(this.prisma.pool, now, PURGE_BATCH); // R-J6
      case 'personalDataRetention':
        return this.privacy.retentionBatch(now, RETENTION_BATCH); // R-P4
      case 'personalDataHousekeeping':
        return this.personalDataHousekeeping(now); // R-P1, R-P5
    }
  }

  /** Once per run: the access log's partitions ahead and its retention (partition drops), and R-P5's old windows. */
  private async personalDataHousekeeping(now: Date): Promise<number> {
    const { created, dropped } = await this.privacy.maintainAccessLog(now);
    const purged = await this.lookupRate.purgeBefore(new Date(now.getTime() - 60 * 60_000));
    return created + dropped + purged;
  }
}

const OPEN_BY_UNIT_MS = 60_000;

/** `read` at most once per `ms`; concurrent callers share the read in flight. */
function cachedFor<T>(ms: number, read: () => Promise<T>): () => Promise<T> {
  let at = 0;
  let value: Promise<T> | undefined;
  return () => {
    if (!value || Date.now() - at >= ms) {
      at = Date.now();
      value = read().catch((error: unknown) => {
        at = 0; // a failed read is retried at the next scrape
        throw error;
      });
    }
    return value;
  };
}

const ACTION: Record<JobName, string> = {
  autoClose: 'closed',
  autoTransfer: 'transferred',
  slaBreach: 'marked_over_sla',
  escalationLease: 'released',
  itsmWaitingClose: 'closed',
  outagePropagation: 'propagated',
  idempotencyRetention: 'deleted',
  personalDataRetention: 'erased',
  personalDataHousekeeping: 'maintained',
};

const BATCH_OF: Record<JobName, number> = {
  autoClose: BATCH,
  autoTransfer: TRANSFER_BATCH,
  slaBreach: BATCH,
  escalationLease: BATCH,
  itsmWaitingClose: BATCH,
  outagePropagation: PROPAGATION_BATCH,
  idempotencyRetention: PURGE_BATCH,
  personalDataRetention: RETENTION_BATCH,
  personalDataHousekeeping: Number.MAX_SAFE_INTEGER, // one pass per run
};

