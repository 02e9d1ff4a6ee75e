import { Inject, Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { rootLogger } from '../logging/logger';
import { Dispatcher } from './dispatcher';
import { Mailer } from './mailer';
import { OutboundRepository } from './outbound.repository';
import { type OutboundMessageAnswer, messageView } from './outbound.view';

/** R-W7: the over-SLA digest per unit, at most one mail per unit every NOTIFY_DIGEST_MINUTES. */
@Injectable()
export class DigestService implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly repository: OutboundRepository,
    private readonly mailer: Mailer,
    private readonly dispatcher: Dispatcher,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.jobsEnabled) return;
    this.timer = setInterval(() => void this.run().catch((e) => rootLogger.error({ err: e }, 'over-SLA digest failed')), this.config.jobsIntervalMs);
    this.timer.unref();
  }

  onApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** One run: a mail per unit with new breaches and none in the last window; returns the mails written. */
  async run(): Promise<number> {
    const now = this.clock.now();
    const since = new Date(now.getTime() - (this.config.notifyDigestMinutes ?? 15) * 60_000);
    let written = 0;
    for (const unit of await this.repository.unitsDueForDigest(since)) {
      const mail = await this.repository.digestUnit(unit.unitCode, now, (breaches) => (unit.emails.length ? this.mailer.digest(unit.unitCode, unit.emails, breaches, now) : null));
      if (mail) written++;
    }
    if (written) this.dispatcher.wake();
    return written;
  }

  /** R-W7: the over-SLA mails, sent or kept, newest first. */
  async list(unitCodes: string[] | undefined, beforeSeq: bigint | undefined, limit: number): Promise<{ items: OutboundMessageAnswer[]; nextSeq: bigint | null }> {
    const rows = await this.repository.listMails(unitCodes, beforeSeq, limit);
    const page = rows.slice(0, limit);
    return { items: page.map(messageView), nextSeq: rows.length > limit ? page[page.length - 1].seq : null };
  }
}
