import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { provinceKey } from '../common/provinces';
import { ForwardedReport, ItsmService } from '../itsm/itsm.service';
import type { ItsmReferenceAnswer } from '../itsm/itsm.view';
import type { AppProblemDto } from './dto/app-problem.dto';
import type { CreateTicketDto } from './dto/create-ticket.dto';
import { APP_PROBLEM_SUBTYPE, APP_PROBLEM_TYPE, appProblemKeterangan } from './rules/app-problem.rule';
import { TicketsService } from '../tickets/tickets.service';
import { ticketView, TicketAnswer } from '../tickets/ticket.view';
import type { IdempotentRequest } from '../http/idempotency';
import { invalidInput } from '../common/domain.exception';

export type AppProblemAnswer = TicketAnswer & { itsmReference: ItsmReferenceAnswer | null };

// R-A1…R-A4: a PLN Mobile problem is recorded as an issue-closed Keluhan LAIN_LAIN / LAIN_LAIN, whatever
// classification the request carried, answered at the desk or forwarded to the IT service desk; the
// Keluhan and the ITSM reference commit together.
@Injectable()
export class AppProblemIntakeService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly itsm: ItsmService,
    private readonly clock: Clock,
  ) {}

  async create(caller: Caller, dto: CreateTicketDto, idempotent?: IdempotentRequest): Promise<AppProblemAnswer> {
    const problem = dto.appProblem as AppProblemDto;
    const now = this.clock.now();
    const reportedAt = this.tickets.clientTime('reportedAt', dto.reportedAt, now);
    const report = this.check(caller, dto, problem);
    return this.tickets.write(async (tx) => {
      await this.tickets.assertReferenceExists(dto.referenceNumber, tx);
      const recorded = report ? await this.itsm.recordReport(tx, report, caller.sub, now) : null;
      const ticket = await this.tickets.insert(
        tx,
        {
          kind: 'KELUHAN',
          unitCode: dto.unitCode,
          channel: dto.channel,
          customer: { ...dto.customer, province: dto.customer.province ? provinceKey(dto.customer.province) : null },
          problemType: APP_PROBLEM_TYPE,
          subType: APP_PROBLEM_SUBTYPE,
          woType: null,
          description: appProblemKeterangan(problem.category, recorded?.outcome ?? null),
          urgent: dto.urgent ?? false,
          reportedAt,
          status: 'ISSUE_CLOSED',
          referenceNumber: dto.referenceNumber ?? null,
          keterangan: dto.keterangan ?? null,
          eventNote: dto.description, // the customer's own words; the keterangan replaces them on the ticket
        },
        { sub: caller.sub, role: caller.role },
        now,
      );
      const itsmReference = recorded ? await this.itsm.linkTicket(tx, recorded.referenceId, ticket.number, now) : null;
      return { ...ticketView(ticket), itsmReference };
    }, idempotent);
  }

  /** The request's fields as R-A1…R-A4 need them; the forwarded report, or null when answered at the desk. */
  private check(caller: Caller, dto: CreateTicketDto, problem: AppProblemDto): ForwardedReport | null {
    if (caller.role === 'mobile' && dto.channel !== 'PLN_MOBILE') throw invalidInput('channel', 'the PLN Mobile backend creates tickets on channel PLN_MOBILE');
    if (!dto.customer.name) throw invalidInput('customer.name', 'customer.name is required');
    if (!dto.customer.phone) throw invalidInput('customer.phone', 'customer.phone is required');
    if (problem.forwardToItsm !== true) return null; // R-A1: answered at the desk
    return {
      itsmTicketId: problem.itsmTicketId,
      callType: problem.callType,
      category: problem.category,
      email: problem.email,
      customer: { name: dto.customer.name, phone: dto.customer.phone, idPel: dto.customer.idPel ?? null },
    };
  }
}
