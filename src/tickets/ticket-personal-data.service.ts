import { Injectable } from '@nestjs/common';
import { PrismaService, type Tx } from '../database/prisma.service';
import type { Actor } from './history';
import { type HeldTicket, type RetentionDueTicket, TicketPersonalDataRepository } from './ticket-personal-data.repository';
import { eventView, type EventAnswer } from './ticket.view';

export type { HeldTicket, RetentionDueTicket } from './ticket-personal-data.repository';

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

  /** R-P4: takes the retention job's turn for `tx` (one instance at a time); false when another instance has it. */
  retentionLock(tx: Tx): Promise<boolean> {
    return this.repository.retentionLock(tx);
  }

  /** R-P4: up to `batch` done tickets still holding personal data, done before `cutoff`, with their free text; not locked (eraseScrubbing checks the version). */
  retentionDue(tx: Tx, cutoff: Date, batch: number): Promise<RetentionDueTicket[]> {
    return this.repository.retentionDue(tx, cutoff, batch);
  }

  /** Erases the tickets' personal data, each ticket's free text with its pattern (null: columns only); one event each. */
  erase(tx: Tx, numbers: string[], patterns: (string | null)[], actor: Actor, now: Date): Promise<{ tickets: number; notes: number; events: number }> {
    if (!numbers.length) return Promise.resolve({ tickets: 0, notes: 0, events: 0 });
    return this.repository.erase(tx, numbers, patterns, actor, now);
  }

  /**
   * R-P4: erases the tickets' personal data with each ticket's free text (and its events' notes) passed
   * through `scrubOf(number)` here, not a pattern per ticket in the database; one event each. A ticket
   * whose version moved since retentionDue read it is left as it is; `erased` names those erased.
   */
  async eraseScrubbing(tx: Tx, due: RetentionDueTicket[], scrubOf: (number: string) => ((text: string | null) => string | null) | null, actor: Actor, now: Date): Promise<{ tickets: number; notes: number; events: number; erased: string[] }> {
    if (!due.length) return { tickets: 0, notes: 0, events: 0, erased: [] };
    const notes = await this.repository.eventNotes(tx, due.map((t) => t.number));
    const scrubs = new Map(due.map((t) => [t.number, scrubOf(t.number)]));
    const keep = (text: string | null) => text;
    const scrubbed = due.map((t) => {
      const scrub = scrubs.get(t.number) ?? keep;
      return { number: t.number, version: t.version, description: scrub(t.description) ?? t.description, keterangan: scrub(t.keterangan), unitAnswer: scrub(t.unitAnswer), cancelReason: scrub(t.cancelReason), ratingComment: scrub(t.ratingComment) };
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
