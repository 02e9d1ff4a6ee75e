import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import type { Tx } from '../database/prisma.service';
import { EscalationService } from '../escalation/escalation.service';
import type { EscalationView } from '../escalation/escalation.view';
import type { Prisma, Ticket } from '../generated/prisma/client';
import { invalidTransition } from '../http/problem';
import type { OrderView } from '../listriqu/listriqu.view';
import type { ConfirmationDto, ReReportDto, UpdateNoteDto } from './dto/repeat.dto';
import { type Actor, type EventType } from './history';
import { ImlIntakeService } from './iml-intake.service';
import { isTerminal } from './rules/lifecycle.rule';
import { decideReReport, laporUlang, type ReReportDecision, type Treatment } from './rules/re-report.rule';
import { customerOf, TicketsService } from './tickets.service';
import { ticketView, type TicketView } from './ticket.view';
import { eventTimeAfter } from './rules/time-bounds.rule';
import type { IdempotentRequest } from '../http/idempotency';

export interface ReReportAnswer {
  treatment: Treatment;
  ticket: TicketView;
  previous: TicketView;
  escalations: EscalationView[];
  order: OrderView | null;
}

const CHAIN_DEPTH = 3; // R-R4 looks at the previous ticket and the two before it

// Repeated reports (R-R1…R-R8), explicit update notes (R-R9) and customer confirmation (R-C2). The rule
// engine decides; this service loads, applies the decision and queues the escalation in one
// transaction (R-E3). The previous ticket's row stays locked throughout, so concurrent re-reports of
// one ticket are applied one after the other and no counter increment is lost.
@Injectable()
export class RepeatReportsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly escalations: EscalationService,
    private readonly iml: ImlIntakeService,
    private readonly clock: Clock,
  ) {}

  async reReport(caller: Caller, number: string, dto: ReReportDto, idempotent?: IdempotentRequest): Promise<ReReportAnswer> {
    const now = this.clock.now();
    const reportedAt = this.tickets.clientTime('reportedAt', dto.reportedAt, now);
    return this.tickets.write(async (tx) => {
      const previous = await this.newestOfLaporUlangChain(tx, await this.tickets.lockVisible(tx, caller, number));
      const chain = await this.chainOf(tx, previous);
      const decision = decideReReport({
        previous,
        chain,
        reportedAt,
        note: dto.note,
        customerDisputesUnitAnswer: dto.customerDisputesUnitAnswer,
        unitAnswerUnclear: dto.unitAnswerUnclear,
      });
      return this.apply(tx, caller, previous, decision, reportedAt, now);
    }, idempotent);
  }

  /** R-R9: an update note on any ticket that is not terminal; `requestCallback` queues REQUEST_CALLBACK with it. */
  async addUpdate(caller: Caller, number: string, dto: UpdateNoteDto, idempotent?: IdempotentRequest): Promise<TicketView> {
    const now = this.clock.now();
    return this.tickets.write(async (tx) => {
      const ticket = await this.tickets.lockVisible(tx, caller, number);
      if (isTerminal(ticket.status)) throw invalidTransition(`${number} is ${ticket.status}: no more update notes`);
      const actor = actorOf(caller);
      const updated = await this.tickets.change(tx, ticket, { updateCount: { increment: 1 } }, [{ type: 'UPDATE_LAPOR', note: dto.note }], actor, now, now);
      if (dto.requestCallback) {
        await this.escalations.enqueue(tx, { category: 'REQUEST_CALLBACK', ticketNumber: number, note: dto.note, actor, occurredAt: now });
      }
      return ticketView(updated);
    }, idempotent);
  }

  /** R-C2: resolved → DITUTUP/CONFIRMED; "Belum" → a Lapor Ulang exactly as R-R3. Outside the window or not SELESAI → 409. */
  async confirm(caller: Caller, number: string, dto: ConfirmationDto, idempotent?: IdempotentRequest): Promise<{ ticket: TicketView; newTicket: TicketView | null }> {
    const now = this.clock.now();
    return this.tickets.write(async (tx) => {
      const ticket = await this.tickets.lockVisible(tx, caller, number);
      if (ticket.status !== 'SELESAI') throw invalidTransition(`${number} is ${ticket.status}; only a SELESAI ticket can be confirmed`);
      if (!ticket.confirmationDeadline || now.getTime() >= ticket.confirmationDeadline.getTime()) {
        throw invalidTransition(`The confirmation window of ${number} ended at ${ticket.confirmationDeadline?.toISOString()}`);
      }
      if (dto.resolved) {
        const closed = await this.tickets.change(
          tx,
          ticket,
          { status: 'DITUTUP', closeReason: 'CONFIRMED', closedAt: now },
          [{ type: 'CONFIRMED', toStatus: 'DITUTUP', note: dto.note ?? 'Pelanggan mengonfirmasi laporan telah selesai' }],
          actorOf(caller),
          now,
          now,
        );
        return { ticket: ticketView(closed), newTicket: null };
      }
      const answer = await this.apply(tx, caller, ticket, laporUlang(ticket, dto.note), now, now);
      return { ticket: answer.previous, newTicket: answer.ticket };
    }, idempotent);
  }

  // A re-report naming a ticket closed RE_REPORTED applies to the newest ticket of its Lapor Ulang chain
  // (previousNumber links followed forward, only those).
  private async newestOfLaporUlangChain(tx: Tx, ticket: Ticket): Promise<Ticket> {
    let current = ticket;
    while (current.closeReason === 'RE_REPORTED') {
      const next = await tx.ticket.findFirst({ where: { previousNumber: current.number }, orderBy: { createdAt: 'asc' }, select: { number: true } });
      if (!next) break;
      current = (await this.tickets.lockVisible(tx, null, next.number)) as Ticket;
    }
    return current;
  }

  // The ticket and those it links back to through previousNumber or referenceNumber, newest first.
  private async chainOf(tx: Tx, ticket: Ticket): Promise<Ticket[]> {
    const chain = [ticket];
    while (chain.length < CHAIN_DEPTH) {
      const last = chain[chain.length - 1];
      const back = last.previousNumber ?? last.referenceNumber;
      const earlier = back ? await tx.ticket.findUnique({ where: { number: back } }) : null;
      if (!earlier) break;
      chain.push(earlier);
    }
    return chain;
  }

  private async apply(tx: Tx, caller: Caller, previous: Ticket, decision: ReReportDecision, reportedAt: Date, now: Date): Promise<ReReportAnswer> {
    if (decision.treatment === 'LAPOR_ULANG_LISTRIQU') {
      const { ticket, previous: changed, order } = await this.iml.reReportForwarded(tx, caller, previous, decision, reportedAt, now); // R-I4
      return { treatment: decision.treatment, ticket, previous: changed, escalations: [], order };
    }
    const actor = actorOf(caller);
    let created: Ticket | null = null;
    if (decision.newTicket) {
      created = await this.tickets.insert(
        tx,
        {
          kind: previous.kind,
          unitCode: previous.unitCode,
          channel: caller.role === 'mobile' ? 'PLN_MOBILE' : previous.channel,
          customer: customerOf(previous),
          problemType: previous.problemType,
          subType: previous.subType,
          woType: previous.woType,
          description: decision.newTicket.description,
          urgent: previous.urgent,
          reportedAt,
          status: decision.newTicket.status,
          previousNumber: decision.newTicket.previousNumber,
          referenceNumber: decision.newTicket.referenceNumber,
          eventNote: `${decision.treatment} (${decision.rule}) dari ${previous.number}`,
        },
        actor,
        now,
      );
    }
    const updatedPrevious = await this.changePrevious(tx, previous, decision, created, actor, reportedAt, now);
    const escalations: EscalationView[] = [];
    if (decision.escalation) {
      escalations.push(
        await this.escalations.enqueue(tx, {
          category: decision.escalation.category,
          ticketNumber: created?.number ?? previous.number,
          note: decision.escalation.note,
          actor,
          occurredAt: reportedAt,
        }),
      );
    }
    // escalations add events, not changes to the tickets' rows: the rows in hand are current
    const previousView = ticketView(updatedPrevious);
    return {
      treatment: decision.treatment,
      ticket: created ? ticketView(created) : previousView,
      previous: previousView,
      escalations,
      order: null,
    };
  }

  private async changePrevious(
    tx: Tx,
    previous: Ticket,
    decision: ReReportDecision,
    created: Ticket | null,
    actor: Actor,
    reportedAt: Date,
    now: Date,
  ): Promise<Ticket> {
    const change = decision.previous;
    const data: Prisma.TicketUpdateInput = {};
    const events: { type: EventType; toStatus?: 'DITUTUP'; note?: string }[] = [];
    if (change.incrementUpdateCount) {
      data.updateCount = { increment: 1 };
      events.push({ type: 'UPDATE_LAPOR', note: change.updateNote }); // R-R1
    }
    if (change.incrementJumlahLaporMelebihiSla) data.jumlahLaporMelebihiSla = { increment: 1 };
    if (change.incrementRepeatCount) data.repeatCount = { increment: 1 };
    if (change.markReReported) data.reReported = true;
    if (decision.treatment === 'LAPOR_MELEBIHI_SLA') events.push({ type: 'LAPOR_MELEBIHI_SLA', note: decision.problemText }); // R-R2
    if (change.closeAs) {
      // R-R3: the asterisk, and DITUTUP/RE_REPORTED: its story goes on in the new ticket
      Object.assign(data, { status: 'DITUTUP', closeReason: change.closeAs, closedAt: now });
      events.push({ type: 'RE_REPORTED', toStatus: 'DITUTUP', note: `Lapor Ulang: ${created?.number}` });
    }
    if (!events.length) return previous; // Laporan Baru / issue closed: the previous ticket does not change
    const occurredAt = eventTimeAfter(previous.lastEventAt, reportedAt, now);
    return this.tickets.change(tx, previous, data, events, actor, occurredAt, now);
  }
}

const actorOf = (caller: Caller): Actor => ({ sub: caller.sub, role: caller.role });
