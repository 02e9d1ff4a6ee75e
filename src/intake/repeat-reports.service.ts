import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import type { Tx } from '../database/prisma.service';
import type { EscalationAnswer } from '../escalation/escalation.view';
import type { Prisma, Ticket } from '../generated/prisma/client';
import type { ConfirmationDto, ReReportDto, UpdateNoteDto } from './dto/repeat.dto';
import { type Actor, type EventType } from '../tickets/history';
import { UnitsService } from '../units/units';
import { ImlIntakeService } from './iml-intake.service';
import { isOpen, isTerminal } from '../tickets/rules/lifecycle.rule';
import {
  decideReReport,
  isFourthIdenticalNote,
  laporUlang,
  LISTRIQU_FORWARD_REASON,
  reReportCreatedNote,
  type ReReportDecision,
  type Treatment,
} from './rules/re-report.rule';
import { customerOf } from '../tickets/ticket.types';
import { TicketsService } from '../tickets/tickets.service';
import { ticketView, type TicketAnswer } from '../tickets/ticket.view';
import { eventTimeAfter } from '../tickets/rules/time-bounds.rule';
import { type IdempotentRequest, registerStoredView } from '../http/idempotency';
import type { ChangeEvent } from '../tickets/ticket.types';
import { ticketFromSnapshot } from '../tickets/sql/ticket-columns.sql';
import { IntakeException, IntakeErrorCode } from './intake.exception';
import { type ConfirmationAnswer, ReReportAnswer } from './intake.view';

export type { ReReportAnswer };


// The answer a re-report made in one statement stores with it (TicketsService.changeAlone): its treatment
// and the changed ticket's row, rendered on replay exactly as Fastify serialised the first answer.
const RE_REPORT_VIEW = 're-report';
registerStoredView(RE_REPORT_VIEW, (data) => {
  const { treatment, ticket } = data as { treatment: Treatment; ticket: unknown };
  const view = ticketView(ticketFromSnapshot(ticket));
  return JSON.stringify({ treatment, ticket: view, previous: view, escalations: [], order: null } satisfies ReReportAnswer);
});

const CHAIN_DEPTH = 3; // R-R4 looks at the previous ticket and the two before it

// Repeated reports (R-R1…R-R8), explicit update notes (R-R9) and customer confirmation (R-C2). The rule
// engine decides; this service loads, applies the decision and queues the escalation in one
// transaction (R-E3). The previous ticket's row stays locked throughout, so concurrent re-reports of
// one ticket are applied one after the other and no counter increment is lost.
@Injectable()
export class RepeatReportsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly iml: ImlIntakeService,
    private readonly units: UnitsService,
    private readonly clock: Clock,
  ) {}

  async reReport(caller: Caller, number: string, dto: ReReportDto, idempotent?: IdempotentRequest): Promise<ReReportAnswer> {
    const now = this.clock.now();
    const reportedAt = this.tickets.clientTime('reportedAt', dto.reportedAt, now);
    if (!idempotent || idempotent.deferred) {
      const answer = await this.reReportAlone(caller, number, dto, reportedAt, now, idempotent);
      if (answer) return answer;
    }
    return this.tickets.write((tx) => this.reReportIn(tx, caller, number, dto, reportedAt, now), idempotent, (tx) => this.tickets.lockVisible(tx, caller, number));
  }

  /**
   * Issue 30: a re-report that only changes the ticket it names — an update note (R-R1), a report past
   * the SLA whose escalation R-O5 leaves out — as one statement on its own, guarded by the version its
   * decision was made on (TicketsService.changeAlone). Undefined, having written nothing, for any other
   * (a new ticket, an escalation, a Lapor Ulang chain to follow, an IML order, an outage left) or when the
   * ticket changed meanwhile: reReportIn then runs under the row lock.
   */
  private async reReportAlone(caller: Caller, number: string, dto: ReReportDto, reportedAt: Date, now: Date, idempotent?: IdempotentRequest): Promise<ReReportAnswer | undefined> {
    const { ticket: previous, timeZone } = await this.tickets.readForChange(caller, number);
    if (previous.closeReason === 'RE_REPORTED' || previous.status === 'ISSUE_CLOSED' || previous.cancelReason === LISTRIQU_FORWARD_REASON) return undefined;
    if (idempotent && previous.outageId !== null) return undefined; // a replay renders a stored ticket without its outage's summary
    const decision = decideReReport({
      previous,
      chain: await this.chainOf((n) => this.tickets.findCommitted(n), previous),
      reportedAt,
      note: dto.note,
      customerDisputesUnitAnswer: dto.customerDisputesUnitAnswer,
      unitAnswerUnclear: dto.unitAnswerUnclear,
      timeZone: timeZone ?? undefined,
      orderStatus: null,
    });
    if (decision.treatment === 'LAPOR_ULANG_LISTRIQU' || decision.rule === 'R-I6' || decision.newTicket) return undefined;
    const knownOutage = decision.escalation?.category === 'LAPORAN_MELEBIHI_SLA' && followsOutageBeforeNyala(previous);
    if (decision.escalation && !knownOutage) return undefined;
    const { data, events } = previousChange(previous, decision, null, now);
    if (!events.length || data.outage || data.status) return undefined;
    const occurredAt = eventTimeAfter(previous.lastEventAt, reportedAt, now);
    const answer = idempotent && { request: idempotent, status: 201, view: RE_REPORT_VIEW, treatment: decision.treatment };
    const changed = await this.tickets.changeAlone(previous, data, events, actorOf(caller), occurredAt, now, answer);
    if (!changed) return undefined;
    const view = ticketView(changed);
    return { treatment: decision.treatment, ticket: view, previous: view, escalations: [], order: null };
  }

  /**
   * The whole re-report inside `tx`. R-L2's preview runs this very code in a transaction it rolls back,
   * so a preview and the re-report it announces can never disagree.
   */
  async reReportIn(tx: Tx, caller: Caller, number: string, dto: ReReportDto, reportedAt: Date, now: Date): Promise<ReReportAnswer> {
    const previous = await this.previousOf(tx, caller, number);
    const chain = await this.chainOf((n) => this.tickets.find(tx, n), previous);
    const decision = decideReReport({
      previous,
      chain,
      reportedAt,
      note: dto.note,
      customerDisputesUnitAnswer: dto.customerDisputesUnitAnswer,
      unitAnswerUnclear: dto.unitAnswerUnclear,
      timeZone: (await this.units.find(previous.unitCode, tx))?.timeZone,
      orderStatus: previous.cancelReason === LISTRIQU_FORWARD_REASON ? await this.iml.orderStatusOf(tx, previous.number) : null,
    });
    return this.apply(tx, caller, previous, decision, reportedAt, now);
  }

  /** R-R9: an update note on any ticket that is not terminal; `requestCallback` queues REQUEST_CALLBACK with it. */
  async addUpdate(caller: Caller, number: string, dto: UpdateNoteDto, idempotent?: IdempotentRequest): Promise<TicketAnswer> {
    const now = this.clock.now();
    return this.tickets.write(async (tx) => {
      const ticket = await this.tickets.lockVisible(tx, caller, number);
      if (isTerminal(ticket.status)) throw refusedAfter(ticket, 'no more update notes');
      const actor = actorOf(caller);
      const updated = await this.tickets.change(tx, ticket, { updateCount: { increment: 1 } }, [{ type: 'UPDATE_LAPOR', note: dto.note }], actor, now, now);
      if (!dto.requestCallback) return ticketView(updated);
      return ticketView((await this.tickets.escalate(tx, updated, { category: 'REQUEST_CALLBACK', note: dto.note }, actor, now, now)).ticket);
    }, idempotent);
  }

  /** R-C2: resolved → DITUTUP/CONFIRMED; "Belum" → a Lapor Ulang exactly as R-R3. Outside the window or not SELESAI → 409. */
  async confirm(caller: Caller, number: string, dto: ConfirmationDto, idempotent?: IdempotentRequest): Promise<ConfirmationAnswer> {
    const now = this.clock.now();
    return this.tickets.write(async (tx) => {
      const ticket = await this.tickets.lockVisible(tx, caller, number);
      if (ticket.status !== 'SELESAI') throw refusedAfter(ticket, 'only a SELESAI ticket can be confirmed');
      if (!ticket.confirmationDeadline || now.getTime() >= ticket.confirmationDeadline.getTime()) {
        throw new IntakeException(IntakeErrorCode.INVALID_TRANSITION, `The confirmation window of ${number} ended at ${ticket.confirmationDeadline?.toISOString()}`);
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

  /**
   * The ticket a re-report naming `number` applies to, locked: the newest of a Lapor Ulang chain, and
   * R-R7a for an issue-closed one — R-R4's applies to the ticket it references (so R-R4 holds again),
   * any other was never a unit's work and is 409 not-repeatable.
   */
  async previousOf(tx: Tx, caller: Caller, number: string): Promise<Ticket> {
    const named = await this.newestOfLaporUlangChain(tx, await this.tickets.lockVisible(tx, caller, number));
    if (named.status !== 'ISSUE_CLOSED') return named;
    if (!named.referenceNumber || !isFourthIdenticalNote(await this.tickets.createdNote(tx, named.number))) {
      throw new IntakeException(
        IntakeErrorCode.NOT_REPEATABLE,
        `${named.number} was closed at the contact centre (ISSUE_CLOSED) and is no unit's work: make a new report with the full intake (R-R7a)`,
      );
    }
    return this.newestOfLaporUlangChain(tx, await this.tickets.lockVisible(tx, null, named.referenceNumber));
  }

  // A re-report naming a ticket closed RE_REPORTED applies to the newest ticket of its Lapor Ulang chain
  // (previousNumber links followed forward, only those).
  private async newestOfLaporUlangChain(tx: Tx, ticket: Ticket): Promise<Ticket> {
    let current = ticket;
    while (current.closeReason === 'RE_REPORTED') {
      const next = await this.tickets.firstSuccessor(tx, current.number);
      if (!next) break;
      current = await this.tickets.lockVisible(tx, null, next);
    }
    return current;
  }

  // The ticket and those it links back to through previousNumber or referenceNumber, newest first.
  private async chainOf(find: (number: string) => Promise<Ticket | null>, ticket: Ticket): Promise<Ticket[]> {
    const chain = [ticket];
    while (chain.length < CHAIN_DEPTH) {
      const last = chain[chain.length - 1];
      const back = last.previousNumber ?? last.referenceNumber;
      const earlier = back ? await find(back) : null;
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
    if (decision.rule === 'R-I6') {
      created = await this.iml.reReportCancelled(tx, caller, previous, decision, reportedAt, now);
    } else if (decision.newTicket) {
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
          eventNote: reReportCreatedNote(decision, previous.number),
        },
        actor,
        now,
      );
    }
    // R-O5: no LAPORAN_MELEBIHI_SLA item per call about a known outage (an urgent ticket still queues URGENT)
    const knownOutage = decision.escalation?.category === 'LAPORAN_MELEBIHI_SLA' && followsOutageBeforeNyala(previous);
    const escalation = knownOutage ? null : decision.escalation;
    // the escalation is about the new ticket when there is one, else about the previous one (in its change)
    const changed = await this.changePrevious(tx, previous, decision, escalation, created, actor, reportedAt, now);
    const escalations: EscalationAnswer[] = changed.escalation ? [changed.escalation] : [];
    const updatedPrevious = changed.ticket;
    if (escalation && created) {
      const { category, note } = escalation;
      const escalated = await this.tickets.escalate(tx, created, { category, note }, actor, reportedAt, now);
      escalations.push(escalated.escalation);
      created = escalated.ticket;
    }
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
    escalation: ReReportDecision['escalation'],
    created: Ticket | null,
    actor: Actor,
    reportedAt: Date,
    now: Date,
  ): Promise<{ ticket: Ticket; escalation?: EscalationAnswer }> {
    const { data, events } = previousChange(previous, decision, created, now);
    if (escalation && !created) {
      const { category, note } = escalation;
      return this.tickets.escalate(tx, previous, { category, note }, actor, reportedAt, now, { data, events });
    }
    if (!events.length && !created) return { ticket: previous }; // Laporan Baru made elsewhere: nothing changes
    const occurredAt = events.length ? eventTimeAfter(previous.lastEventAt, reportedAt, now) : previous.lastEventAt;
    return { ticket: await this.tickets.change(tx, previous, data, events, actor, occurredAt, now) };
  }
}

/** What a re-report's decision changes on the ticket it applies to (R-R1…R-R5, R-R10, R-O4), and its events. */
function previousChange(previous: Ticket, decision: ReReportDecision, created: Ticket | null, now: Date): { data: Prisma.TicketUpdateInput; events: ChangeEvent[] } {
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
  // R-R10: the earlier ticket names the newest ticket made from it, so "Lacak" leads to the live one
  if (created) data.successorNumber = created.number;
  if (decision.rule === 'R-R5' && previous.outageId && previous.status === 'NYALA') {
    // R-O4: "nyala" but still dark after the outage reached NYALA: the ticket stops following it
    data.outage = { disconnect: true };
    events.push({ type: 'DETACHED_FROM_OUTAGE', note: `Masih padam setelah nyala: laporan baru ${created?.number}` });
  }
  // R-T6: the link is a change, so an event tells it, unless one of this change's already names the new
  // ticket (R-R3's RE_REPORTED, R-O4's DETACHED_FROM_OUTAGE): RE_REPORTED of API.md's types, with no move
  // (the ticket was reported again; the report goes on in the new ticket)
  if (created && !events.some((e) => e.note?.includes(created.number))) events.push({ type: 'RE_REPORTED', note: `Laporan lanjutan: ${created.number} (${decision.treatment})` });
  return { data, events };
}

const actorOf = (caller: Caller): Actor => ({ sub: caller.sub, role: caller.role, name: caller.name });

/** 409 for a note or confirmation on a terminal ticket; R-R10: a re-reported one names its successor. */
function refusedAfter(ticket: Ticket, what: string): IntakeException {
  if (ticket.closeReason === 'RE_REPORTED') {
    return new IntakeException(IntakeErrorCode.INVALID_TRANSITION, `${ticket.number} is DITUTUP (RE_REPORTED): ${what}; the report goes on in ${ticket.successorNumber} (R-R10)`);
  }
  return new IntakeException(IntakeErrorCode.INVALID_TRANSITION, `${ticket.number} is ${ticket.status}: ${what}`);
}

/**
 * R-O5: attached and still open means its outage is not yet NYALA — a NYALA outage has moved its
 * following tickets on (R-O3), and a ticket it cannot move any more has left it or is no longer open.
 */
const followsOutageBeforeNyala = (ticket: Ticket): boolean => ticket.outageId !== null && isOpen(ticket.status);
