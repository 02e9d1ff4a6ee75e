import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { provinceKey } from '../common/provinces';
import type { IdempotentRequest } from '../http/idempotency';
import type { Actor } from '../tickets/history';
import type { TicketDraft } from '../tickets/ticket.types';
import { ticketView, type TicketAnswer } from '../tickets/ticket.view';
import { checkAhead, TicketsService } from '../tickets/tickets.service';
import type { CreateTicketDto } from './dto/create-ticket.dto';
import { isKompor, KOMPOR_SUBTYPE, KOMPOR_TYPE, komporWo, missingKomporFields, NO_ID_PEL_WO, noIdPelKeterangan } from './rules/kompor-induksi.rule';
import { invalidInput } from '../common/domain.exception';

// The plain report (API.md "Create"): its checks, the induction-stove rules (R-K1…R-K3), and the draft the
// ticket core creates. IML reports and app problems have their own intakes (the IntakeController picks).
@Injectable()
export class TicketIntakeService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly clock: Clock,
  ) {}

  /**
   * `idempotent`: the request's Idempotency-Key, deferred (src/http/idempotency.ts): the ticket core stores
   * it with a plain create's one statement; the R-K2 callback case claims it in its transaction. Not
   * async: the burst path hands the core's promise on without another await (a refused check throws here,
   * inside the controller's async handler).
   */
  create(caller: Caller, dto: CreateTicketDto, idempotent?: IdempotentRequest): Promise<TicketAnswer> {
    const now = this.clock.now();
    const reportedAt = this.tickets.clientTime('reportedAt', dto.reportedAt, now);
    if (caller.role === 'mobile' && dto.channel !== 'PLN_MOBILE') throw invalidInput('channel', 'the PLN Mobile backend creates tickets on channel PLN_MOBILE');
    if (dto.kind === 'KELUHAN' && dto.woType !== undefined) throw invalidInput('woType', 'woType is for Gangguan only');
    if (dto.iml) throw invalidInput('iml', 'iml is only for an IML report (woType IML_LISTRIQU or IML_NON_LISTRIQU, R-I2)');
    if (!dto.customer.name) throw invalidInput('customer.name', 'customer.name is required');
    if (!dto.customer.phone) throw invalidInput('customer.phone', 'customer.phone is required');
    checkAhead(dto, now);
    const kompor = komporTreatment(dto);
    // API.md Create: callbackAt is only for its rule's case, as komporInduksi and iml are for theirs
    if (dto.callbackAt !== undefined && !kompor?.callback) throw invalidInput('callbackAt', 'callbackAt is only for an induction-stove complaint without ID Pel or meter number (R-K2)');
    const actor: Actor = { sub: caller.sub, role: caller.role, name: caller.name };
    const draft: TicketDraft = {
      kind: dto.kind,
      unitCode: dto.unitCode,
      channel: dto.channel,
      customer: { ...dto.customer, province: dto.customer.province ? provinceKey(dto.customer.province) : null },
      problemType: dto.problemType,
      subType: dto.subType ?? null,
      woType: dto.kind === 'GANGGUAN' ? (dto.woType ?? 'AUTODISPATCH') : null,
      description: kompor?.description ?? dto.description,
      urgent: dto.urgent ?? false,
      reportedAt,
      status: dto.issueClosed || kompor?.callback ? 'ISSUE_CLOSED' : 'LAPOR',
      referenceNumber: dto.referenceNumber ?? null,
      callbackAt: dto.callbackAt ? new Date(dto.callbackAt) : null,
      keterangan: kompor?.keterangan ?? dto.keterangan ?? null,
    };
    if (!kompor?.callback || dto.outageId) return this.tickets.create(draft, actor, now, dto.outageId, idempotent);
    return this.createWithCallback(draft, actor, reportedAt, now, idempotent);
  }

  /** R-K2: the issue-closed ticket and its CALLBACK_PELANGGAN escalation, in one transaction (R-E3). */
  private async createWithCallback(draft: TicketDraft, actor: Actor, reportedAt: Date, now: Date, idempotent?: IdempotentRequest): Promise<TicketAnswer> {
    await this.tickets.assertReferenceExists(draft.referenceNumber);
    return this.tickets.write(async (tx) => {
      const created = await this.tickets.insert(tx, draft, actor, now);
      // R-K2: the callback is queued with the issue-closed ticket (R-E3); its note ends with the keterangan
      // so whoever calls back knows the complaint
      const { ticket } = await this.tickets.escalate(
        tx,
        created,
        {
          category: 'CALLBACK_PELANGGAN',
          note: `${NO_ID_PEL_WO}. Hubungi kembali pelanggan ${created.customerName ?? ''} (${created.customerPhone ?? ''}) untuk melengkapi ID Pel / nomor meter. ${created.keterangan}`,
          callbackAt: created.callbackAt,
        },
        actor,
        reportedAt,
        now,
      );
      return ticketView(ticket);
    }, idempotent);
  }
}

/** R-K1…R-K3: an induction-stove complaint's WO, or the no-ID-Pel issue-closed case with its callback. */
function komporTreatment(dto: CreateTicketDto): { description: string; callback: boolean; keterangan?: string } | null {
  if (!isKompor(dto.kind, dto.subType)) {
    if (dto.komporInduksi) throw invalidInput('komporInduksi', `komporInduksi is only for subType ${KOMPOR_SUBTYPE}`);
    return null;
  }
  if (dto.problemType !== KOMPOR_TYPE) throw invalidInput('problemType', `an induction-stove complaint is type ${KOMPOR_TYPE} (R-K1)`);
  const id = dto.customer.idPel ?? dto.customer.meterNumber;
  if (!id) {
    if (!dto.callbackAt) throw invalidInput('callbackAt', 'without an ID Pel or meter number, callbackAt (when to call the customer back) is required (R-K2)');
    return { description: NO_ID_PEL_WO, callback: true, keterangan: noIdPelKeterangan(dto.description) };
  }
  if (!dto.komporInduksi) throw invalidInput('komporInduksi', `komporInduksi is required for subType ${KOMPOR_SUBTYPE} (R-K3)`);
  const missing = missingKomporFields(dto.komporInduksi);
  if (missing.length) throw invalidInput(`komporInduksi.${missing[0]}`, `komporInduksi.${missing.join(', ')} required when the installation has no power (R-K3)`);
  return { description: komporWo(id, dto.description, dto.komporInduksi), callback: false };
}
