import { Injectable } from '@nestjs/common';
import type { Ticket } from '../generated/prisma/client';
import { type CustomerKey, TicketSearchRepository } from './ticket-search.repository';

export type { CustomerKey } from './ticket-search.repository';

// The tickets module's face for finding a customer's tickets (R-L1, R-L3); the lookup module composes
// them with the orders, ITSM references and escalations of their own modules.
@Injectable()
export class TicketSearchService {
  constructor(private readonly repository: TicketSearchRepository) {}

  /** The customer's tickets, newest first (reportedAt, then number), at most `limit`. */
  ofCustomer(key: CustomerKey, limit: number, signal?: AbortSignal): Promise<Ticket[]> {
    return this.repository.ofCustomer(key, limit, signal);
  }

  /** Each ticket's status timeline (R-L3): the status each move reached and when, oldest first. */
  timelines(numbers: string[]): Promise<Map<string, { status: string; at: Date }[]>> {
    return this.repository.timelines(numbers);
  }
}
