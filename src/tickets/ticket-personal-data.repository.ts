import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/prisma.service';
import type { TicketEvent } from '../generated/prisma/client';
import type { Actor } from './history';
import {
  eraseScrubbedStatement,
  erasePersonalDataStatement,
  eventNotesStatement,
  lockCustomerStatement,
  oldestHeldDoneStatement,
  type ScrubbedTicket,
  retentionDueStatement,
  retentionLockStatement,
} from './sql/erase-personal-data.sql';

export interface HeldTicket {
  number: string;
  status: string;
  name: string | null;
  phone: string | null;
  idPel: string | null;
  meterNumber: string | null;
  address: string | null;
}

/** R-P4: a done ticket due for erasure, with the free text to scrub and the version it was read at. */
export type RetentionDueTicket = HeldTicket & ScrubbedTicket;

// R-P2…R-P4 on the tickets' tables; no rules here.
@Injectable()
export class TicketPersonalDataRepository {
  lockCustomer(tx: Tx, key: { idPel: string } | { phoneKey: string }): Promise<HeldTicket[]> {
    return tx.$queryRaw<HeldTicket[]>(lockCustomerStatement(key));
  }

  async retentionLock(tx: Tx): Promise<boolean> {
    const [row] = await tx.$queryRaw<{ locked: boolean }[]>(retentionLockStatement());
    return row.locked;
  }

  retentionDue(tx: Tx, cutoff: Date, batch: number): Promise<RetentionDueTicket[]> {
    return tx.$queryRaw<RetentionDueTicket[]>(retentionDueStatement(cutoff, batch));
  }

  async erase(tx: Tx, numbers: string[], patterns: (string | null)[], actor: Actor, now: Date): Promise<{ tickets: number; notes: number; events: number }> {
    const [row] = await tx.$queryRaw<{ tickets: number; notes: number; events: number }[]>(erasePersonalDataStatement(numbers, patterns, actor, now));
    return row;
  }

  eventNotes(tx: Tx, numbers: string[]): Promise<{ id: string; ticketNumber: string; note: string }[]> {
    return tx.$queryRaw<{ id: string; ticketNumber: string; note: string }[]>(eventNotesStatement(numbers));
  }

  async eraseScrubbed(tx: Tx, tickets: ScrubbedTicket[], notes: { id: string; note: string }[], actor: Actor, now: Date): Promise<{ tickets: number; notes: number; events: number; erased: string[] }> {
    const [row] = await tx.$queryRaw<{ tickets: number; notes: number; events: number; erased: string[] }[]>(eraseScrubbedStatement(tickets, notes, actor, now));
    return row;
  }

  async oldestHeldDone(tx: Tx): Promise<Date | null> {
    const [row] = await tx.$queryRaw<{ at: Date | null }[]>(oldestHeldDoneStatement());
    return row?.at ?? null;
  }

  eventsOf(tx: Tx, numbers: string[]): Promise<TicketEvent[]> {
    return tx.ticketEvent.findMany({ where: { ticketNumber: { in: numbers } }, orderBy: { id: 'asc' } });
  }
}
