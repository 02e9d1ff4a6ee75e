import { AnswerShape, Field, inline, list, oneOf, string } from '../common/answer-shape';
import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/prisma.service';
import type { Ticket } from '../generated/prisma/client';
import type { TicketStatus } from '../generated/prisma/enums';
import type { Actor } from './history';
import { type AttachableOutage, type MoveToCarry, OutagePort } from './outage-port';
import { OutageTicketsRepository } from './outage-tickets.repository';
import { type AttachRefusal, attachRefusal } from './rules/outage.rule';
import type { TicketDraft } from './ticket.types';
import { TicketException, TicketErrorCode } from './ticket.exception';

export class AttachRefusalAnswer {
  @Field(string()) number!: string;
  @Field(oneOf(['NOT_FOUND', 'OTHER_UNIT', 'NOT_GANGGUAN', 'ALREADY_ATTACHED', 'IN_ANOTHER_OUTAGE', 'NOT_OPEN'])) reason!: AttachRefusal;
}

/** R-O2: the document's OutageAttachAnswer (issue 24), filled by attach below. */
@AnswerShape({
  name: 'OutageAttachAnswer',
  description: 'The numbers attached and those refused with their reason (R-O2).',
  example: { attached: ['G5422026000123'], refused: [{ number: 'K5422026000007', reason: 'NOT_GANGGUAN' }] },
})
export class OutageAttachAnswer {
  @Field(list(string())) attached!: string[];
  @Field(list(inline(AttachRefusalAnswer))) refused!: AttachRefusalAnswer[];
}

// The tickets' side of mass outages (R-O2…R-O4): the set-based statements that attach tickets to an
// outage and carry its moves to them. Each runs inside the caller's transaction (TicketsService.write),
// so a ticket's change and its events commit together (R-T6).
@Injectable()
export class OutageTicketsService {
  constructor(
    private readonly outages: OutagePort,
    private readonly repository: OutageTicketsRepository,
  ) {}

  /**
   * R-O2: attaches the named tickets, each taking the outage's status at once (ATTACHED_TO_OUTAGE, then
   * STATUS_CHANGED); the others are refused with their reason. The caller holds the outage row.
   */
  async attach(tx: Tx, outage: AttachableOutage, numbers: string[], actor: Actor, now: Date): Promise<OutageAttachAnswer> {
    const unique = [...new Set(numbers)].sort(); // locks in one order: two attaches never deadlock
    const rows = await this.repository.lockCandidates(tx, unique);
    const found = new Map(rows.map((r) => [r.number, r]));
    const refused: OutageAttachAnswer['refused'] = [];
    const eligible: string[] = [];
    for (const number of unique) {
      const reason = attachRefusal(found.get(number), outage);
      if (reason) refused.push({ number, reason });
      else eligible.push(number);
    }
    if (eligible.length) await this.repository.attach(tx, outage, eligible, actor, now);
    const order = new Map(numbers.map((n, i) => [n, i]));
    const byRequest = (a: string, b: string) => (order.get(a) ?? 0) - (order.get(b) ?? 0);
    return { attached: eligible.sort(byRequest), refused: refused.sort((a, b) => byRequest(a.number, b.number)) };
  }

  /** R-O2 at creation: the named outage must be open, of the same unit, and the ticket an open Gangguan; else 409. */
  async outageForCreate(tx: Tx, outageId: string, draft: TicketDraft): Promise<AttachableOutage> {
    const outage = await this.outages.lockForAttach(tx, outageId);
    if (!outage) throw new TicketException(TicketErrorCode.INVALID_TRANSITION, `outageId: outage ${outageId} is not an open outage`);
    if (outage.unitCode !== draft.unitCode) throw new TicketException(TicketErrorCode.INVALID_TRANSITION, `outageId: outage ${outageId} is of unit ${outage.unitCode}, not ${draft.unitCode}`);
    if (draft.kind !== 'GANGGUAN') throw new TicketException(TicketErrorCode.INVALID_TRANSITION, 'outageId: only a Gangguan joins an outage (R-O2)');
    if (draft.status !== 'LAPOR') throw new TicketException(TicketErrorCode.INVALID_TRANSITION, 'outageId: an issue-closed report joins no outage (R-O2)');
    return outage;
  }

  /** The ticket just created in `tx`, attached to `outage` (R-O2), as it now is. */
  async attachCreated(tx: Tx, outage: AttachableOutage, ticket: Ticket, actor: Actor, now: Date): Promise<Ticket> {
    await this.repository.attach(tx, outage, [ticket.number], actor, now);
    return this.repository.find(tx, ticket.number);
  }

  /** How many tickets each outage has (R-O2), and how many of them are open, by outage id. */
  async counts(db: Tx, outageIds: string[]): Promise<Map<string, { ticketCount: number; openTicketCount: number }>> {
    if (!outageIds.length) return new Map();
    const rows = await this.repository.counts(db, outageIds);
    return new Map(rows.map((r) => [r.id, { ticketCount: r.total, openTicketCount: r.open }]));
  }

  /** The tickets a status move still has to move (R-O3, the outage's `lastPropagation.pending`). */
  pending(db: Tx, outageId: string, toStatus: TicketStatus, cursor: string): Promise<number> {
    return this.repository.pending(db, outageId, toStatus, cursor);
  }

  /**
   * R-O3: one batch of a move, in `tx`: the next `size` tickets of the outage after `move.cursor` (by
   * number) that still follow it are moved (a status move), or noted (an etr change, open tickets only),
   * each with its event. Returns how many, the last number reached (the move's next cursor), and whether
   * any ticket after it is still to be reached — asked, not inferred from a short batch: a row changed
   * concurrently (a unit's own move) drops out of a batch that was full.
   */
  async carryBatch(tx: Tx, move: MoveToCarry, size: number, now: Date): Promise<{ count: number; last: string | null; more: boolean }> {
    const row = await this.repository.carryBatch(tx, move, size, now);
    // The batch takes the first `size` tickets behind the move in number order, waiting for (not
    // skipping) locked ones: fewer than `size` means none is left, as the raw-SQL loop of the benchmark
    // concludes, without another query. A full batch may have been the last: the next one moves 0.
    return { count: row.n, last: row.last, more: row.n >= size };
  }
}
