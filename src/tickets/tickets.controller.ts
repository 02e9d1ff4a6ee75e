import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer, EmptyAnswer, AcceptsIfMatch, AcceptsIfNoneMatch } from '../http/openapi/answers';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RouteConfig } from '@nestjs/platform-fastify';
import { DEFERRED_IDEMPOTENCY, Idempotency, idempotencyOf, IdempotentWork, type IdempotentRequest } from '../http/idempotency';
import { CurrentCaller } from '../auth/caller.decorator';
import { Roles, type Caller } from '../auth/roles';
import { CreateTicketDto } from './dto/create-ticket.dto';
import { ConfirmationDto, ReReportDto, UpdateNoteDto } from './dto/repeat.dto';
import { StatusMoveDto } from './dto/status-move.dto';
import { AppProblemIntakeService } from './app-problem-intake.service';
import { ImlIntakeService } from './iml-intake.service';
import { RepeatReportsService, type ReReportAnswer } from './repeat-reports.service';
import { TicketsService, type ListQuery } from './tickets.service';
import { invalidField, invalidTransition } from '../http/problem';
import { QueryParams } from '../http/query-params';
import { ClientGone } from '../http/client-gone';
import { CUSTOMER_FILTER_PARAMS } from './list-filters';
import { enumList } from '../http/openapi/query-docs';
import { TICKET_STATUSES } from '../http/openapi/schemas';
import type { EventView, TicketView } from './ticket.view';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api/v1/tickets')
export class TicketsController {
  constructor(
    private readonly tickets: TicketsService,
    private readonly repeats: RepeatReportsService,
    private readonly iml: ImlIntakeService,
    private readonly appProblems: AppProblemIntakeService,
  ) {}

  @ApiOperation({ operationId: 'createTicket', summary: 'Create a ticket (also IML and app-problem reports)' })
  @Answer(201, 'Ticket', 'The new ticket (an IML or app-problem report may answer with another kind, see API.md)')
    @Roles('cso', 'mobile', 'backoffice') // backoffice: the follow-up ticket of a callback (R-E4)
  @Post()
  @RouteConfig(DEFERRED_IDEMPOTENCY)
  async create(@CurrentCaller() caller: Caller, @Body() dto: CreateTicketDto, @Req() request: FastifyRequest): Promise<TicketView> {
    // A plain create stores the Idempotency-Key with its statement; the other intakes in their transaction.
    const idempotent = idempotencyOf(request);
    if (caller.role === 'backoffice' && !dto.referenceNumber) {
      throw invalidField('referenceNumber', 'the back office creates the follow-up ticket of a callback: referenceNumber is required (R-E4)');
    }
    if (dto.outageId && (dto.appProblem || dto.woType === 'IML_LISTRIQU' || dto.woType === 'IML_NON_LISTRIQU')) {
      throw invalidTransition('outageId: an IML or app-problem report joins no outage (R-O2)');
    }
    if (dto.woType === 'IML_LISTRIQU' || dto.woType === 'IML_NON_LISTRIQU') return this.iml.create(caller, dto, idempotent); // R-I2
    if (dto.appProblem) return this.appProblems.create(caller, dto, idempotent); // R-A1…R-A4
    return this.tickets.create(caller, dto, idempotent);
  }

  @ApiOperation({ operationId: 'listTickets', summary: 'List tickets (the unit dashboards poll this)' })
  @Answer(200, 'TicketPage', 'A page of tickets, oldest change first', 'Changes whenever the answer would change (weak); send it in If-None-Match')
  @AcceptsIfNoneMatch()
  @EmptyAnswer(304, 'Nothing changed since the ETag sent in If-None-Match')
  @Roles('cso', 'unit', 'backoffice', 'admin')
  @Get()
  @QueryParams('unitCode', { name: 'status', ...enumList('Ticket statuses to include', TICKET_STATUSES) }, 'kind', 'open', 'overSla', 'updatedSince', 'outageId', 'limit', 'cursor', ...CUSTOMER_FILTER_PARAMS)
  async list(
    @CurrentCaller() caller: Caller,
    @Query() query: ListQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ items: TicketView[]; nextCursor: string | null } | undefined> {
    const answer = await this.tickets.list(caller, query, ifNoneMatch, new ClientGone(reply));
    void reply.header('etag', answer.etag);
    if (answer.notModified) {
      void reply.status(304);
      return undefined;
    }
    return { items: answer.items, nextCursor: answer.nextCursor };
  }

  @ApiOperation({ operationId: 'getTicket', summary: 'Read a ticket' })
  @Answer(200, 'Ticket', 'The ticket')
  @Get(':number')
  get(@CurrentCaller() caller: Caller, @Param('number') number: string): Promise<TicketView> {
    return this.tickets.get(caller, number);
  }

  @ApiOperation({ operationId: 'listTicketEvents', summary: 'Read the history of a ticket' })
  @Answer(200, 'EventList', 'The events, oldest first')
  @Roles('cso', 'unit', 'backoffice', 'admin', 'listriqu', 'itsm')
  @Get(':number/events')
  async events(@CurrentCaller() caller: Caller, @Param('number') number: string): Promise<{ items: EventView[] }> {
    return { items: await this.tickets.events(caller, number) };
  }

  @ApiOperation({ operationId: 'moveTicketStatus', summary: 'Move a ticket to another status (R-T4, R-T5)' })
  @Answer(200, 'Ticket', 'The moved ticket')
  @AcceptsIfMatch()
  @Roles('unit')
  @Post(':number/status')
  @HttpCode(200)
  @IdempotentWork(200)
  move(
    @CurrentCaller() caller: Caller,
    @Param('number') number: string,
    @Body() dto: StatusMoveDto,
    @Headers('if-match') ifMatch: string | undefined,
    @Idempotency() idempotent?: IdempotentRequest,
  ): Promise<TicketView> {
    return this.tickets.moveStatus(caller, number, dto, ifMatch, idempotent);
  }

  @ApiOperation({ operationId: 'addTicketUpdate', summary: 'Add an Update Lapor note (R-R9)' })
  @Answer(201, 'Ticket', 'The ticket with the update')
  @Roles('cso', 'mobile')
  @Post(':number/updates')
  @IdempotentWork()
  addUpdate(@CurrentCaller() caller: Caller, @Param('number') number: string, @Body() dto: UpdateNoteDto, @Idempotency() idempotent?: IdempotentRequest): Promise<TicketView> {
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
  ): Promise<{ ticket: TicketView; newTicket: TicketView | null }> {
    return this.repeats.confirm(caller, number, dto, idempotent);
  }
}
