import { Injectable } from '@nestjs/common';
import { type Reader, ReadRouter, type ReaderOf } from '../database/read-router';
import { EscalationService } from '../escalation/escalation.service';
import type { Ticket } from '../generated/prisma/client';
import { ItsmService } from '../itsm/itsm.service';
import { ListriquService } from '../listriqu/listriqu.service';
import { iso } from '../common/iso';
import { type CustomerKey, TicketSearchService } from '../tickets/ticket-search.service';
import { ticketView } from '../tickets/ticket.view';
import type { CustomerSummary, CustomerTicket, CustomerTicketList, HistoryAnswer } from './lookup.view';

/** API.md: at most 50 of each list, newest first. */
export const LOOKUP_LIMIT = 50;

export type { CustomerSummary, CustomerTicket, HistoryAnswer };

// R-L1, R-L3: the customer's story across the modules, each read through its own module's service.
@Injectable()
export class LookupService {
  constructor(
    private readonly search: TicketSearchService,
    private readonly orders: ListriquService,
    private readonly itsm: ItsmService,
    private readonly escalations: EscalationService,
    private readonly reads: ReadRouter,
  ) {}

  /** `signal`: the request's client went away (issue 14 point 18). */
  /** `who`: the caller, whose own writes the answer must show (R-D1: it may come from a replica). */
  history(key: CustomerKey, signal?: AbortSignal, who?: ReaderOf): Promise<HistoryAnswer> {
    return this.reads.read(who, async (db) => {
      const tickets = await this.search.ofCustomer(await this.customerOf(key, signal, db), LOOKUP_LIMIT, signal, db);
      const numbers = tickets.map((t) => t.number);
      const idPels = distinct(tickets.map((t) => t.customerIdPel));
      const [orders, itsmReferences, escalations] = await Promise.all([
        this.orders.ordersOf(numbers, LOOKUP_LIMIT, db),
        this.itsm.ofCustomer(numbers, idPels, LOOKUP_LIMIT, db),
        this.escalations.ofTickets(numbers, LOOKUP_LIMIT, db),
      ]);
      return { customers: customersOf(tickets), tickets: tickets.map(ticketView), orders, itsmReferences, escalations };
    });
  }

  async customerTickets(key: CustomerKey, signal?: AbortSignal, who?: ReaderOf): Promise<CustomerTicketList> {
    const [tickets, timelines] = await this.reads.read(who, async (db) => {
      const found = await this.search.ofCustomer(key, LOOKUP_LIMIT, signal, db);
      return [found, await this.search.timelines(found.map((t) => t.number), db)] as const;
    });
    return {
      items: tickets.map((t) => {
        const view = ticketView(t);
        return {
          number: t.number,
          kind: t.kind,
          status: t.status,
          reportedAt: view.reportedAt,
          unitAnswer: t.unitAnswer,
          successorNumber: t.successorNumber,
          outage: view.outage,
          rating: view.rating,
          timeline: (timelines.get(t.number) ?? []).map((e) => ({ status: e.status, at: iso(e.at) })),
        };
      }),
    };
  }

  // A ticket number stands for its customer: by ID Pel, else meter number, else phone (R-L1).
  private async customerOf(key: CustomerKey, signal: AbortSignal | undefined, db: Reader): Promise<CustomerKey> {
    if (!('number' in key)) return key;
    const [ticket] = await this.search.ofCustomer(key, 1, signal, db);
    if (ticket?.customerIdPel) return { idPel: ticket.customerIdPel };
    if (ticket?.customerMeterNumber) return { meterNumber: ticket.customerMeterNumber };
    if (ticket?.customerPhoneKey) return { phoneKey: ticket.customerPhoneKey };
    return key;
  }
}

const distinct = (values: (string | null)[]): string[] => [...new Set(values.filter((v): v is string => v !== null))];

/** The customers behind the tickets, newest first, each (name, phone, ID Pel, meter number) once. */
function customersOf(tickets: Ticket[]): CustomerSummary[] {
  const seen = new Map<string, CustomerSummary>();
  for (const t of tickets) {
    const customer = { name: t.customerName, phone: t.customerPhone, idPel: t.customerIdPel, meterNumber: t.customerMeterNumber };
    const id = JSON.stringify(customer);
    if (!seen.has(id)) seen.set(id, customer);
  }
  return [...seen.values()];
}
