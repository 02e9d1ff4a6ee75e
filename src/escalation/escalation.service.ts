import type { Reader } from '../database/read-router';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Tx } from '../database/prisma.service';
import type { EscalationCategory } from '../generated/prisma/client';
import { type EscalationAggregate, EscalationFilter, EscalationRepository, type QueueGauges, type ReportPeriod } from './escalation.repository';
import { cursorAfter } from './escalation.query';
import { toPage, UUID } from '../common/list-query';
import { finishRefusal, FinishRefusal } from './escalation.rules';
import { EscalationAnswer, toEscalationView } from './escalation.view';
import { EscalationException, EscalationErrorCode } from './escalation.exception';

export interface EnqueueInput {
  category: EscalationCategory;
  ticketNumber?: string | null;
  note: string;
  callbackAt?: Date | null;
}

const REFUSAL: Record<FinishRefusal, (id: string) => EscalationException> = {
  NOT_CLAIMED: (id) => new EscalationException(EscalationErrorCode.NOT_CLAIMED, `Escalation ${id} is not claimed`),
  NOT_THE_CLAIMER: (id) => new EscalationException(EscalationErrorCode.NOT_THE_CLAIMER, `Escalation ${id} is claimed by another agent`),
  LEASE_EXPIRED: (id) => new EscalationException(EscalationErrorCode.LEASE_EXPIRED, `The claim on escalation ${id} has expired`),
};

@Injectable()
export class EscalationService {
  constructor(
    private readonly repository: EscalationRepository,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /** For the operators' gauges: open items per category, the oldest open item, and the oldest expired lease (R-E2). */
  queueGauges(now: Date): Promise<QueueGauges> {
    return this.repository.queueGauges(now);
  }

  /**
   * Queues an escalation inside the caller's transaction (R-E3). The event on its ticket is the tickets
   * module's to write (TicketsService.escalate), which owns ticket_events and lastEventAt.
   */
  async enqueue(tx: Tx, input: EnqueueInput): Promise<EscalationAnswer> {
    const row = await this.repository.insert(tx, {
      category: input.category,
      ticketNumber: input.ticketNumber ?? null,
      note: input.note,
      callbackAt: input.callbackAt ?? null,
      createdAt: this.clock.now(),
    });
    return toEscalationView(row);
  }

  async list(filter: EscalationFilter): Promise<{ items: EscalationAnswer[]; nextCursor: string | null }> {
    return toPage(await this.repository.page({ ...filter, limit: filter.limit + 1 }), filter.limit, toEscalationView, cursorAfter);
  }

  /** R-E2: the next open item for this agent, or null when none is open. */
  async claimNext(sub: string, categories?: EscalationCategory[]): Promise<EscalationAnswer | null> {
    const now = this.clock.now();
    const claimed = await this.repository.claimNext(sub, categories, now, new Date(now.getTime() + this.config.escalationLeaseMs));
    return claimed ? toEscalationView(claimed) : null;
  }

  /** R-E2 inside the caller's transaction: only the current claimer, within the lease, marks the item DONE. */
  async finish(tx: Tx, id: string, sub: string, note: string, now: Date): Promise<EscalationAnswer> {
    if (!UUID.test(id)) throw new EscalationException(EscalationErrorCode.NOT_FOUND, `Escalation ${id} not found`);
    const row = await this.repository.lock(tx, id);
    if (!row) throw new EscalationException(EscalationErrorCode.NOT_FOUND, `Escalation ${id} not found`);
    const refusal = finishRefusal(row, sub, now);
    if (refusal) throw REFUSAL[refusal](id);
    return toEscalationView(await this.repository.finish(tx, id, now, note));
  }

  /** R-J4: up to `batch` claims whose lease ended by `now` return to OPEN; the count freed (JobsService loops). */
  /** R-M2 / R-M4: counts (and median time to done) of the escalations of each unit's tickets in a period. */
  /** `db`: the database the read router picked (R-D1); the primary when not given. */
  aggregate(period: ReportPeriod, daily: boolean, signal?: AbortSignal, db?: Reader): Promise<EscalationAggregate[]> {
    return this.repository.aggregate(period, daily, signal, db);
  }

  releaseExpiredBatch(now: Date, batch: number): Promise<number> {
    return this.repository.releaseExpired(now, batch);
  }

  /** R-L1: the escalations of a customer's tickets, newest first. */
  async ofTickets(ticketNumbers: string[], limit: number, db?: Reader): Promise<EscalationAnswer[]> {
    return ticketNumbers.length ? (await this.repository.ofTickets(ticketNumbers, limit, db)).map(toEscalationView) : [];
  }

  /** R-P2: the escalations naming no ticket whose notes hold the customer's identifiers (`found`). */
  async ticketlessOf(found: string | null, limit: number): Promise<EscalationAnswer[]> {
    return found === null ? [] : (await this.repository.ticketlessNoting(found, limit)).map(toEscalationView);
  }

  /** R-P3: those escalations scrubbed with the customer's whole `pattern`, in `tx`; their ids (their stored messages follow). */
  eraseTicketless(tx: Tx, found: string | null, pattern: string | null): Promise<string[]> {
    return found === null || pattern === null ? Promise.resolve([]) : this.repository.eraseTicketless(tx, found, pattern);
  }

  /**
   * R-P3, R-P4: scrubs the customer's identifiers and name from the notes of the tickets' escalations, in
   * `tx`. `patternOf` is asked only for the tickets that have an escalation: a retention batch
   * of 2,000 done tickets built 2,000 patterns for the few that have one.
   */
  async erasePersonalData(tx: Tx, numbers: string[], patternOf: (number: string) => string | null): Promise<number> {
    if (!numbers.length) return 0;
    const noted = await this.repository.ticketsEscalated(tx, numbers);
    return noted.length ? this.repository.erasePersonalData(tx, noted, noted.map(patternOf)) : 0;
  }
}
