import { Body, Controller, HttpCode, Param, Post, Req } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteConfig } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { CurrentCaller } from '../auth/caller.decorator';
import { Roles, type Caller } from '../auth/roles';
import { DEFERRED_IDEMPOTENCY, Idempotency, idempotencyOf, IdempotentWork, type IdempotentRequest } from '../http/idempotency';
import { Answer } from '../http/openapi/answers';
import type { TicketAnswer } from '../tickets/ticket.view';
import { AppProblemIntakeService } from './app-problem-intake.service';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ConfirmationDto, ReReportDto, UpdateNoteDto } from './dto/repeat.dto';
import { ImlIntakeService } from './iml-intake.service';
import { RepeatReportsService, type ReReportAnswer } from './repeat-reports.service';
import { TicketIntakeService } from './ticket-intake.service';
import { invalidInput } from '../common/domain.exception';
import { IntakeException, IntakeErrorCode } from './intake.exception';
import type { ConfirmationAnswer } from './intake.view';

// The intake routes under /api/v1/tickets: a new report goes to its workflow (a plain report with the
// induction-stove rules, an IML report, an app problem), and the customer's later calls (update notes,
// re-reports, confirmation) to RepeatReportsService. The ticket core's own routes are TicketsController.
@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api/v1/tickets')
export class IntakeController {
  constructor(
    private readonly plain: TicketIntakeService,
    private readonly repeats: RepeatReportsService,
    private readonly iml: ImlIntakeService,
    private readonly appProblems: AppProblemIntakeService,
  ) {}

  @ApiOperation({ operationId: 'createTicket', summary: 'Create a ticket (also IML and app-problem reports)' })
  @Answer(201, 'Ticket', 'The new ticket (an IML or app-problem report may answer with another kind, see API.md)')
  @Roles('cso', 'mobile', 'backoffice') // backoffice: the follow-up ticket of a callback (R-E4)
  @Post()
  @RouteConfig(DEFERRED_IDEMPOTENCY)
  async create(@CurrentCaller() caller: Caller, @Body() dto: CreateTicketDto, @Req() request: FastifyRequest): Promise<TicketAnswer> {
    // A plain create stores the Idempotency-Key with its statement; the other intakes in their transaction.
    const idempotent = idempotencyOf(request);
    if (caller.role === 'backoffice' && !dto.referenceNumber) {
      throw invalidInput('referenceNumber', 'the back office creates the follow-up ticket of a callback: referenceNumber is required (R-E4)');
    }
    if (dto.outageId && (dto.appProblem || dto.woType === 'IML_LISTRIQU' || dto.woType === 'IML_NON_LISTRIQU')) {
      throw new IntakeException(IntakeErrorCode.INVALID_TRANSITION, 'outageId: an IML or app-problem report joins no outage (R-O2)');
    }
    if (dto.woType === 'IML_LISTRIQU' || dto.woType === 'IML_NON_LISTRIQU') return this.iml.create(caller, dto, idempotent); // R-I2
    if (dto.appProblem) return this.appProblems.create(caller, dto, idempotent); // R-A1…R-A4
    return this.plain.create(caller, dto, idempotent);
  }

  @ApiOperation({ operationId: 'addTicketUpdate', summary: 'Add an Update Lapor note (R-R9)' })
  @Answer(201, 'Ticket', 'The ticket with the update')
  @Roles('cso', 'mobile')
  @Post(':number/updates')
  @IdempotentWork()
  addUpdate(@CurrentCaller() caller: Caller, @Param('number') number: string, @Body() dto: UpdateNoteDto, @Idempotency() idempotent?: IdempotentRequest): Promise<TicketAnswer> {
    return this.repeats.addUpdate(caller, number, dto, idempotent);
  }

  @ApiOperation({ operationId: 'reReportTicket', summary: 'The customer reports again (R-R1…R-R8)' })
  @Answer(201, 'ReReportAnswer', 'What the re-report did')
  @Roles('cso', 'mobile')
  @Post(':number/re-reports')
  @IdempotentWork()
  reReport(@CurrentCaller() caller: Caller, @Param('number') number: string, @Body() dto: ReReportDto, @Idempotency() idempotent?: IdempotentRequest): Promise<ReReportAnswer> {
    return this.repeats.reReport(caller, number, dto, idempotent);
  }

  @ApiOperation({ operationId: 'confirmTicket', summary: 'Record the customer confirmation (R-C2)' })
  @Answer(200, 'ConfirmationAnswer', 'The confirmed ticket and any new one')
  @Roles('cso', 'mobile')
  @Post(':number/confirmation')
  @HttpCode(200)
  @IdempotentWork(200)
  confirm(
    @CurrentCaller() caller: Caller,
    @Param('number') number: string,
    @Body() dto: ConfirmationDto,
    @Idempotency() idempotent?: IdempotentRequest,
  ): Promise<ConfirmationAnswer> {
    return this.repeats.confirm(caller, number, dto, idempotent);
  }
}
