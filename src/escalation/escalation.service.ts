import { ESCALATION_CATEGORIES } from './escalation.rules';
import { Inject, Injectable } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PrismaService, Tx } from '../database/prisma.service';
import type { EscalationCategory } from '../generated/prisma/client';
import { invalidField, invalidTransition, notFound, Problem, ProblemCode } from '../http/problem';
import { Actor, recordEvents } from '../tickets/history';
import { EscalationFilter, EscalationRepository } from './escalation.repository';
import { cursorAfter } from './escalation.query';
import { toPage, UUID } from '../common/list-query';
import { finishRefusal, FinishRefusal } from './escalation.rules';
import { EscalationView, toEscalationView } from './escalation.view';

export interface EnqueueInput {
  category: EscalationCategory;
  ticketNumber?: string | null;
  note: string;
  callbackAt?: Date | null;
  actor: Actor;
  occurredAt: Date;
}

export interface CreateInput {
  category: EscalationCategory;
  ticketNumber: string | null;
  note: string;
  callbackAt: Date | null;
}

const REFUSAL: Record<FinishRefusal, (id: string) => Problem> = {
  NOT_CLAIMED: (id) => invalidTransition(`Escalation ${id} is not claimed`),
  NOT_THE_CLAIMER: (id) => new Problem(ProblemCode.CONFLICT, `Escalation ${id} is claimed by another agent`),
  LEASE_EXPIRED: (id) => new Problem(ProblemCode.CONFLICT, `The claim on escalation ${id} has expired`),
};

@Injectable()
export class EscalationService {
  constructor(
    private readonly repository: EscalationRepository,
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  /**
   * Queues an escalation inside the caller's transaction (R-E3), with its ESCALATED event on the ticket
   * when there is one. `occurredAt` is the event's time; the queue orders by when the item was queued.
   */
  /** For the operators' gauges: open items per category, the oldest open item, and the oldest expired lease (R-E2). */
  async queueGauges(now: Date): Promise<{ openByCategory: Record<string, number>; oldestOpenAt: Date | null; oldestLeaseDue: Date | null }> {
    const rows = await this.prisma.$queryRaw<{ category: string; n: number; oldest: Date }[]>`
      SELECT category::text AS category, count(*)::int AS n, min(created_at) AS oldest FROM escalations WHERE status = 'OPEN' GROUP BY category`;
    const [lease] = await this.prisma.$queryRaw<{ due: Date | null }[]>`
      SELECT min(lease_until) AS due FROM escalations WHERE status = 'CLAIMED' AND lease_until <= ${now}`;
    const openByCategory = Object.fromEntries(ESCALATION_CATEGORIES.map((c) => [c, rows.find((r) => r.category === c)?.n ?? 0]));
    const oldest = rows.map((r) => r.oldest.getTime());
    return { openByCategory, oldestOpenAt: oldest.length ? new Date(Math.min(...oldest)) : null, oldestLeaseDue: lease.due };
  }

  async enqueue(tx: Tx, input: EnqueueInput): Promise<EscalationView> {
    const now = this.clock.now();
    const ticketNumber = input.ticketNumber ?? null;
    const row = await this.repository.insert(tx, {
      category: input.category,
      ticketNumber,
      note: input.note,
      callbackAt: input.callbackAt ?? null,
      createdAt: now,
    });
    if (ticketNumber) {
      await recordEvents(tx, [
        { ticketNumber, type: 'ESCALATED', note: `${input.category}: ${input.note}`, actor: input.actor, occurredAt: input.occurredAt, recordedAt: now },
      ]);
    }
    return toEscalationView(row);
  }

  /** POST /escalations: an agent queues an item by hand. */
  async create(input: CreateInput, actor: Actor): Promise<EscalationView> {
    const { ticketNumber } = input;
    return this.prisma.$transaction(async (tx) => {
      if (ticketNumber && !(await this.repository.ticketExists(tx, ticketNumber))) throw invalidField('ticketNumber', `no ticket ${ticketNumber}`);
      return this.enqueue(tx, { ...input, actor, occurredAt: this.clock.now() });
    });
  }

  async list(filter: EscalationFilter): Promise<{ items: EscalationView[]; nextCursor: string | null }> {
    return toPage(await this.repository.page({ ...filter, limit: filter.limit + 1 }), filter.limit, toEscalationView, cursorAfter);
  }

  /** R-E2: the next open item for this agent, or null when none is open. */
  async claimNext(sub: string, categories?: EscalationCategory[]): Promise<EscalationView | null> {
    const now = this.clock.now();
    const claimed = await this.repository.claimNext(sub, categories, now, new Date(now.getTime() + this.config.escalationLeaseMs));
    return claimed ? toEscalationView(claimed) : null;
  }

  async finish(id: string, sub: string, note: string): Promise<EscalationView> {
    if (!UUID.test(id)) throw notFound(`Escalation ${id}`);
    const now = this.clock.now();
    return this.prisma.$transaction(async (tx) => {
      const row = await this.repository.lock(tx, id);
      if (!row) throw notFound(`Escalation ${id}`);
      const refusal = finishRefusal(row, sub, now);
      if (refusal) throw REFUSAL[refusal](id);
      return toEscalationView(await this.repository.finish(tx, id, now, note));
    });
  }

  /** R-J4: up to `batch` claims whose lease ended by `now` return to OPEN; the count freed (JobsService loops). */
  releaseExpiredBatch(now: Date, batch: number): Promise<number> {
    return this.repository.releaseExpired(now, batch);
  }
}
