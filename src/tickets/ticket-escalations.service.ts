import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { EscalationService } from '../escalation/escalation.service';
import type { EscalationAnswer } from '../escalation/escalation.view';
import type { EscalationCategory } from '../generated/prisma/enums';
import type { IdempotentRequest } from '../http/idempotency';
import { eventTimeAfter } from './rules/time-bounds.rule';
import { TicketErrorCode, TicketException } from './ticket.exception';
import { checkAhead, TicketsService } from './tickets.service';
import { invalidInput } from '../common/domain.exception';

export interface CreateEscalationInput {
  category: EscalationCategory;
  ticketNumber: string | null;
  note: string;
  callbackAt: Date | null;
}

// The back office's work that touches a ticket (R-E1, R-E4, R-T6): the escalation module keeps its
// queue, the tickets module writes the ticket's events, both in one transaction. Living on the tickets
// side keeps the modules' dependency one way (tickets → escalation).
@Injectable()
export class TicketEscalationsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly escalations: EscalationService,
    private readonly clock: Clock,
  ) {}

  /** POST /escalations: an agent queues an item by hand, with its ESCALATED event when it names a ticket. */
  async create(caller: Caller, input: CreateEscalationInput, idempotent?: IdempotentRequest): Promise<EscalationAnswer> {
    const now = this.clock.now();
    checkAhead({ callbackAt: input.callbackAt?.toISOString() }, now);
    return this.tickets.write(async (tx) => {
      if (!input.ticketNumber) return this.escalations.enqueue(tx, input);
      const ticket = await this.tickets.lockVisible(tx, null, input.ticketNumber).catch((error: unknown) => {
        throw error instanceof TicketException && error.code === TicketErrorCode.NOT_FOUND ? invalidInput('ticketNumber', `no ticket ${input.ticketNumber}`) : error;
      });
      const { category, note, callbackAt } = input;
      return (await this.tickets.escalate(tx, ticket, { category, note, callbackAt }, caller, now, now)).escalation;
    }, idempotent);
  }

  /** R-E2 finish; R-E4: an item that names a ticket leaves an ESCALATION_DONE event with the done note on it. */
  async finish(caller: Caller, id: string, note: string, idempotent?: IdempotentRequest): Promise<EscalationAnswer> {
    const now = this.clock.now();
    return this.tickets.write(async (tx) => {
      const done = await this.escalations.finish(tx, id, caller.sub, note, now);
      if (done.ticketNumber) {
        const ticket = await this.tickets.lockVisible(tx, null, done.ticketNumber);
        const at = eventTimeAfter(ticket.lastEventAt, now, now);
        await this.tickets.change(tx, ticket, {}, [{ type: 'ESCALATION_DONE', note: `${done.category}: ${note}` }], caller, at, now);
      }
      return done;
    }, idempotent);
  }
}
