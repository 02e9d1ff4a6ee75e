import { Injectable } from '@nestjs/common';
import type { Reader } from '../database/read-router';
import type { Ticket } from '../generated/prisma/client';
import { type CustomerKey, TicketSearchRepository } from './ticket-search.repository';

export type { CustomerKey } from './ticket-search.repository';

// The tickets module's face for finding a customer's tickets (R-L1, R-L3); the lookup module composes
// them with the orders, ITSM references and escalations of their own modules.
@Injectable()
export class TicketSearchService {
  constructor(private readonly repository: TicketSearchRepository) {}

  /** The customer's tickets, newest first (reportedAt, then number), at most `limit`. */
  /** `db`: the database the read router picked (R-D1); the primary when not given. */
  ofCustomer(key: CustomerKey, limit: number, signal?: AbortSignal, db?: Reader): Promise<Ticket[]> {
    return this.repository.ofCustomer(key, limit, signal, db);
  }

  /** R-P2: one customer's tickets and those linked to them through a shared ID Pel, meter number or phone, newest first. */
  linkedTo(key: { idPel: string } | { phoneKey: string }, limit: number): Promise<Ticket[]> {
    return this.repository.linkedTo(key, limit);
  }

  /** Each ticket's status timeline (R-L3): the status each move reached and when, oldest first. */
  timelines(numbers: string[], db?: Reader): Promise<Map<string, { status: string; at: Date }[]>> {
    return this.repository.timelines(numbers, db);
  }
}
