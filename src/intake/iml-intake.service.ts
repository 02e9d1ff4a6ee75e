import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { provinceKey } from '../common/provinces';
import type { Tx } from '../database/prisma.service';
import type { Ticket } from '../generated/prisma/client';
import type { Channel, ListriquOrderStatus } from '../generated/prisma/enums';
import { dayIn } from '../listriqu/listriqu.rules';
import { ListriquService } from '../listriqu/listriqu.service';
import type { OrderAnswer } from '../listriqu/listriqu.view';
import { UnitsService } from '../units/units';
import type { CreateTicketDto } from './dto/create-ticket.dto';
import type { ImlDto } from './dto/iml.dto';
import type { Actor } from '../tickets/history';
import { esdmWo, IML_KELUHAN, IML_PROBLEM_TYPE, nonListriquWo, reReportWo } from './rules/iml.rule';
import { LISTRIQU_FORWARD_REASON, type ReReportDecision } from './rules/re-report.rule';
import { checkAhead, TicketsService } from '../tickets/tickets.service';
import { customerOf, type TicketDraft } from '../tickets/ticket.types';
import { ticketView, type TicketAnswer } from '../tickets/ticket.view';
import { eventTimeAfter } from '../tickets/rules/time-bounds.rule';
import type { IdempotentRequest } from '../http/idempotency';
import { invalidInput } from '../common/domain.exception';

// Create fields that belong to other kinds of report (R-K2/R-K3, R-A1…R-A4, the issue-closed flag).
const NOT_FOR_IML = ['issueClosed', 'komporInduksi', 'appProblem', 'callbackAt'] as const;

/** An IML report as R-I2 routes it: from a create, or made again from a cancelled one (R-I6). */
interface ImlReport {
  unitCode: string;
  channel: Channel;
  customer: TicketDraft['customer'] & { province: string };
  subType: string | null;
  description: string;
  urgent: boolean;
  referenceNumber: string | null;
  keterangan: string | null;
  eventNote?: string;
}

// R-I2 routing of an IML report on create, R-I4 and R-I6 re-reports of a forwarded report.
@Injectable()
export class ImlIntakeService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly listriqu: ListriquService,
    private readonly units: UnitsService,
    private readonly clock: Clock,
  ) {}

  /**
   * R-I2: inside ListriQu's coverage on the report's day (in the unit's time zone) the Gangguan is made,
   * forwarded (BATAL / DITERUSKAN_KE_LISTRIQU) and its order created, all in one transaction; outside
   * it the report is an issue-closed Keluhan directing the customer to CC ESDM.
   */
  async create(caller: Caller, dto: CreateTicketDto, idempotent?: IdempotentRequest): Promise<TicketAnswer> {
    const iml = this.validate(caller, dto);
    const now = this.clock.now();
    checkAhead(dto, now);
    const reportedAt = this.tickets.clientTime('reportedAt', dto.reportedAt, now);
    return this.tickets.write(async (tx) => {
      await this.tickets.assertReferenceExists(dto.referenceNumber, tx);
      const report: ImlReport = {
        unitCode: dto.unitCode,
        channel: dto.channel,
        customer: { ...dto.customer, province: provinceKey(dto.customer.province as string) as string },
        subType: dto.subType ?? null,
        description: dto.description,
        urgent: dto.urgent ?? false,
        referenceNumber: dto.referenceNumber ?? null,
        keterangan: dto.keterangan ?? null,
      };
      return ticketView(await this.route(tx, report, iml, { sub: caller.sub, role: caller.role }, reportedAt, now));
    }, idempotent);
  }

  /**
   * R-I6, inside the re-report's transaction: the forwarded Gangguan's order was cancelled (BATAL), so the
   * report is an IML report made again — R-I2 for the same customer and classification at `reportedAt`,
   * referring to the old ticket. The ticket it made (the new forwarded Gangguan, or the ESDM Keluhan).
   */
  async reReportCancelled(tx: Tx, caller: Caller, previous: Ticket, decision: ReReportDecision, reportedAt: Date, now: Date): Promise<Ticket> {
    const report: ImlReport = {
      unitCode: previous.unitCode,
      channel: caller.role === 'mobile' ? 'PLN_MOBILE' : previous.channel,
      customer: { ...customerOf(previous), province: previous.customerProvince as string },
      subType: previous.subType,
      description: decision.problemText,
      urgent: previous.urgent,
      referenceNumber: previous.number,
      keterangan: null,
      eventNote: `${decision.treatment} (${decision.rule}) dari ${previous.number}`,
    };
    return this.route(tx, report, { willingToPay: previous.woType === 'IML_LISTRIQU' }, { sub: caller.sub, role: caller.role }, reportedAt, now);
  }

  /** The status of a forwarded ticket's ListriQu order, or null when it has none (R-I4, R-I6). */
  async orderStatusOf(tx: Tx, ticketNumber: string): Promise<ListriquOrderStatus | null> {
    return this.listriqu.orderStatus(tx, ticketNumber);
  }

  // R-I2: inside ListriQu's coverage on the report's day (in the unit's time zone) the Gangguan is made,
  // forwarded (BATAL / DITERUSKAN_KE_LISTRIQU) and its order created; outside it an issue-closed Keluhan
  // directing the customer to CC ESDM.
  private async route(tx: Tx, report: ImlReport, iml: ImlDto, actor: Actor, reportedAt: Date, now: Date): Promise<Ticket> {
    const province = report.customer.province;
    const unit = await this.units.find(report.unitCode, tx);
    if (!unit) throw invalidInput('unitCode', `unit ${report.unitCode} is not registered`);
    const covered = await this.listriqu.coversOn(tx, province, dayIn(reportedAt, unit.timeZone));
    const draft = {
      unitCode: report.unitCode,
      channel: report.channel,
      customer: report.customer,
      urgent: report.urgent,
      reportedAt,
      referenceNumber: report.referenceNumber,
      keterangan: report.keterangan,
      eventNote: report.eventNote ?? null,
    };
    if (!covered) {
      return this.tickets.insert(
        tx,
        { ...draft, kind: 'KELUHAN', ...IML_KELUHAN, woType: null, description: esdmWo(report.description), status: 'ISSUE_CLOSED', eventNote: report.eventNote ?? `R-I2: ${province} di luar layanan ListriQu` },
        actor,
        now,
      );
    }
    const woType = iml.willingToPay ? 'IML_LISTRIQU' : 'IML_NON_LISTRIQU';
    const created = await this.tickets.insert(
      tx,
      {
        ...draft,
        kind: 'GANGGUAN',
        problemType: IML_PROBLEM_TYPE,
        subType: report.subType,
        woType,
        description: iml.willingToPay ? report.description : nonListriquWo(report.description),
        status: 'LAPOR',
      },
      actor,
      now,
    );
    await this.listriqu.createOrder(
      tx,
      {
        ticketNumber: created.number,
        willingToPay: iml.willingToPay,
        province,
        address: report.customer.address ?? undefined,
        preferredVisitDate: iml.preferredVisitDate,
        regency: iml.regency,
        district: iml.district,
        village: iml.village,
        landmark: iml.landmark,
        latitude: iml.latitude,
        longitude: iml.longitude,
      },
      now,
    );
    return this.tickets.change(
      tx,
      created,
      { status: 'BATAL', cancelReason: LISTRIQU_FORWARD_REASON, closedAt: reportedAt },
      [{ type: 'FORWARDED_TO_LISTRIQU', toStatus: 'BATAL', note: `Diteruskan ke ListriQu (${woType}), order REQUEST` }],
      actor,
      reportedAt,
      now,
    );
  }

  /** R-I4, inside the re-report's transaction (the original is locked); the issue-closed Keluhan and the order as now. */
  async reReportForwarded(
    tx: Tx,
    caller: Caller,
    previous: Ticket,
    decision: ReReportDecision,
    reportedAt: Date,
    now: Date,
  ): Promise<{ ticket: TicketAnswer; previous: TicketAnswer; order: OrderAnswer | null }> {
    const actor: Actor = { sub: caller.sub, role: caller.role, name: caller.name };
    const order = await this.listriqu.bumpRepeat(tx, previous.number, now);
    const keluhan = await this.tickets.insert(
      tx,
      {
        kind: 'KELUHAN',
        unitCode: previous.unitCode,
        channel: caller.role === 'mobile' ? 'PLN_MOBILE' : previous.channel,
        customer: customerOf(previous),
        ...IML_KELUHAN,
        woType: null,
        description: reReportWo(decision.problemText, previous.number),
        urgent: false,
        reportedAt,
        status: 'ISSUE_CLOSED',
        referenceNumber: previous.number,
        eventNote: `${decision.treatment} (${decision.rule}) dari ${previous.number}`,
      },
      actor,
      now,
    );
    const occurredAt = eventTimeAfter(previous.lastEventAt, reportedAt, now);
    const status = order ? `, order ListriQu ${order.status}, laporan berulang ${order.repeatCount}` : '';
    const changed = await this.tickets.change(tx, previous, {}, [{ type: 'LAPOR_ULANG_LISTRIQU', note: `${keluhan.number}${status}` }], actor, occurredAt, now);
    return { ticket: ticketView(keluhan), previous: ticketView(changed), order };
  }

  /** R-I2's required fields, in the order a caller would fix them; the IML details. */
  private validate(caller: Caller, dto: CreateTicketDto): ImlDto {
    if (dto.kind !== 'GANGGUAN') throw invalidInput('kind', 'an IML report (woType IML_LISTRIQU or IML_NON_LISTRIQU) is a GANGGUAN (R-I2)');
    if (caller.role === 'mobile' && dto.channel !== 'PLN_MOBILE') throw invalidInput('channel', 'the PLN Mobile backend creates tickets on channel PLN_MOBILE');
    if (dto.problemType !== IML_PROBLEM_TYPE) throw invalidInput('problemType', `an IML report is problem type ${IML_PROBLEM_TYPE} (R-I2)`);
    if (!dto.iml) throw invalidInput('iml', 'iml (with iml.willingToPay) is required for an IML report (R-I2)');
    if (!dto.customer.province) throw invalidInput('customer.province', 'customer.province is required for an IML report (R-I2)');
    if (dto.iml.willingToPay) {
      // a customer who will not pay needs only the province (002 §11)
      if (!dto.customer.name) throw invalidInput('customer.name', 'customer.name is required');
      if (!dto.customer.phone) throw invalidInput('customer.phone', 'customer.phone is required');
    }
    const stray = NOT_FOR_IML.find((field) => dto[field] !== undefined);
    if (stray) throw invalidInput(stray, `${stray} is not for an IML report`);
    return dto.iml;
  }
}
