import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service';
import type { Actor } from './history';
import { type HeldTicket, TicketPersonalDataRepository } from './ticket-personal-data.repository';
import { eventView, type EventAnswer } from './ticket.view';

export type { HeldTicket } from './ticket-personal-data.repository';

// The tickets module's face for personal data (R-P2…R-P4, src/privacy): find a customer's tickets,
// erase tickets' personal data in the caller's transaction, and the history an export carries.
@Injectable()
export class TicketPersonalDataService {
  constructor(
    private readonly repository: TicketPersonalDataRepository,
    private readonly prisma: PrismaService,
  ) {}

  /** Every ticket of the customer, locked in `tx` until it commits. */
  lockCustomer(tx: Tx, key: { idPel: string } | { phoneKey: string }): Promise<HeldTicket[]> {
    return this.repository.lockCustomer(tx, key);
  }

  /** R-P4: up to `batch` done tickets still holding personal data, done before `cutoff`, claimed for `tx`. */
  claimRetentionDue(tx: Tx, cutoff: Date, batch: number): Promise<HeldTicket[]> {
    return this.repository.claimRetentionDue(tx, cutoff, batch);
  }

  /** Erases the tickets' personal data, each ticket's free text with its pattern (null: columns only); one event each. */
  erase(tx: Tx, numbers: string[], patterns: (string | null)[], actor: Actor, now: Date): Promise<{ tickets: number; notes: number; events: number }> {
    if (!numbers.length) return Promise.resolve({ tickets: 0, notes: 0, events: 0 });
    return this.repository.erase(tx, numbers, patterns, actor, now);
  }

  /**
   * R-P4: erases the tickets' personal data with each ticket's free text (and its events' notes) passed
   * through `scrubOf(number)` here, not a pattern per ticket in the database; one event each.
   */
  async eraseScrubbing(tx: Tx, numbers: string[], scrubOf: (number: string) => ((text: string | null) => string | null) | null, actor: Actor, now: Date): Promise<{ tickets: number; notes: number; events: number }> {
    if (!numbers.length) return { tickets: 0, notes: 0, events: 0 };
    const texts = await this.repository.freeText(tx, numbers);
    const notes = await this.repository.eventNotes(tx, numbers);
    const scrubs = new Map(numbers.map((n) => [n, scrubOf(n)]));
    const keep = (text: string | null) => text;
    const scrubbed = texts.map((t) => {
      const scrub = scrubs.get(t.number) ?? keep;
      return { number: t.number, description: scrub(t.description) ?? t.description, keterangan: scrub(t.keterangan), unitAnswer: scrub(t.unitAnswer), cancelReason: scrub(t.cancelReason), ratingComment: scrub(t.ratingComment) };
    });
    const changedNotes = notes.flatMap((n) => {
      const note = (scrubs.get(n.ticketNumber) ?? keep)(n.note);
      return note !== null && note !== n.note ? [{ id: n.id, note }] : [];
    });
    return this.repository.eraseScrubbed(tx, scrubbed, changedNotes, actor, now);
  }

  /** When the oldest done ticket that still holds personal data was done (R-P4's lag gauge), or null. */
  oldestHeldDone(): Promise<Date | null> {
    return this.repository.oldestHeldDone(this.prisma);
  }

  /** The events of the tickets, by ticket, oldest first (R-P2). */
  async eventsOf(numbers: string[]): Promise<Map<string, EventAnswer[]>> {
    const byTicket = new Map<string, EventAnswer[]>(numbers.map((n) => [n, []]));
    for (const e of await this.repository.eventsOf(this.prisma, numbers)) byTicket.get(e.ticketNumber)?.push(eventView(e));
    return byTicket;
  }
}
