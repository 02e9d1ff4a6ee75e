import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { ListriquService } from '../listriqu/listriqu.service';
import type { OrderStatusDto } from '../listriqu/listriqu.dto';
import type { OrderAnswer } from '../listriqu/listriqu.view';
import type { ImlCorrectionDto } from './dto/iml-correction.dto';
import type { Actor } from '../tickets/history';
import { cancellationWo, correctionWo, IML_KELUHAN } from './rules/iml.rule';
import { checkAhead, TicketsService } from '../tickets/tickets.service';
import { customerOf } from '../tickets/ticket.types';
import { ticketView } from '../tickets/ticket.view';
import { eventTimeAfter } from '../tickets/rules/time-bounds.rule';
import type { IdempotentRequest } from '../http/idempotency';
import { invalidInput } from '../common/domain.exception';
import type { ImlCorrectionAnswer } from './intake.view';

// R-I3: a forwarded IML report corrected or cancelled at the contact centre; R-I5: ListriQu's progress. The order changes, an
// issue-closed Keluhan records it, and the forwarded ticket's history says so, in one transaction.
@Injectable()
export class ImlCorrectionsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly listriqu: ListriquService,
    private readonly clock: Clock,
  ) {}

  async correct(caller: Caller, number: string, dto: ImlCorrectionDto, idempotent?: IdempotentRequest): Promise<ImlCorrectionAnswer> {
    if (dto.action === 'CANCEL' && dto.preferredVisitDate !== undefined) throw invalidInput('preferredVisitDate', 'preferredVisitDate is only for EDIT');
    const now = this.clock.now();
    checkAhead(dto, now);
    const actor: Actor = { sub: caller.sub, role: caller.role, name: caller.name };
    return this.tickets.write(async (tx) => {
      const forwarded = await this.tickets.lockVisible(tx, caller, number);
      const order =
        dto.action === 'EDIT'
          ? await this.listriqu.correct(tx, number, { preferredVisitDate: dto.preferredVisitDate }, now)
          : await this.listriqu.cancel(tx, number, now);
      const keluhan = await this.tickets.insert(
        tx,
        {
          kind: 'KELUHAN',
          unitCode: forwarded.unitCode,
          channel: forwarded.channel,
          customer: customerOf(forwarded),
          ...IML_KELUHAN,
          woType: null,
          description: dto.action === 'EDIT' ? correctionWo(forwarded.description, number, dto.note) : cancellationWo(forwarded.description, number),
          urgent: false,
          reportedAt: now,
          status: 'ISSUE_CLOSED',
          referenceNumber: number,
          eventNote: `R-I3 ${dto.action} dari ${number}`,
        },
        actor,
        now,
      );
      const occurredAt = eventTimeAfter(forwarded.lastEventAt, now, now);
      const change = dto.action === 'EDIT' ? 'koreksi' : 'pembatalan, order ListriQu BATAL';
      await this.tickets.change(tx, forwarded, {}, [{ type: 'IML_CORRECTED', note: `${keluhan.number} (${change}): ${dto.note}` }], actor, occurredAt, now);
      return { ticket: ticketView(keluhan), order };
    }, idempotent);
  }

  /** R-I5: ListriQu's progress report, recorded in the forwarded ticket's history in the same transaction. */
  async reportOrderStatus(caller: Caller, ticketNumber: string, dto: OrderStatusDto, idempotent?: IdempotentRequest): Promise<OrderAnswer> {
    const now = this.clock.now();
    return this.tickets.write(async (tx) => {
      const ticket = await this.tickets.lockVisible(tx, caller, ticketNumber);
      const { from, order } = await this.listriqu.moveStatus(tx, ticketNumber, dto.status, now);
      const occurredAt = this.tickets.clientTime('occurredAt', dto.occurredAt, now, ticket.lastEventAt);
      const note = `ListriQu: ${from} → ${dto.status}`;
      await this.tickets.change(tx, ticket, {}, [{ type: 'LISTRIQU_STATUS_CHANGED', note }], { sub: caller.sub, role: caller.role }, occurredAt, now);
      return order;
    }, idempotent);
  }
}
