import { Body, Controller, Get, Headers, HttpCode, Param, Post, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
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
import { CUSTOMER_FILTER_PARAMS } from './list-filters';
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

  @Roles('cso', 'unit', 'backoffice', 'admin')
  @Get()
  @QueryParams('unitCode', 'status', 'kind', 'open', 'overSla', 'updatedSince', 'outageId', 'limit', 'cursor', ...CUSTOMER_FILTER_PARAMS)
  async list(
    @CurrentCaller() caller: Caller,
    @Query() query: ListQuery,
    @Headers('if-none-match') ifNoneMatch: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ items: TicketView[]; nextCursor: string | null } | undefined> {
    const answer = await this.tickets.list(caller, query, ifNoneMatch);
    void reply.header('etag', answer.etag);
    if (answer.notModified) {
      void reply.status(304);
      return undefined;
    }
    return { items: answer.items, nextCursor: answer.nextCursor };
  }

  @Get(':number')
  get(@CurrentCaller() caller: Caller, @Param('number') number: string): Promise<TicketView> {
    return this.tickets.get(caller, number);
  }

  @Roles('cso', 'unit', 'backoffice', 'admin', 'listriqu', 'itsm')
  @Get(':number/events')
  async events(@CurrentCaller() caller: Caller, @Param('number') number: string): Promise<{ items: EventView[] }> {
    return { items: await this.tickets.events(caller, number) };
  }

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

  @Roles('cso', 'mobile')
  @Post(':number/updates')
  @IdempotentWork()
  addUpdate(@CurrentCaller() caller: Caller, @Param('number') number: string, @Body() dto: UpdateNoteDto, @Idempotency() idempotent?: IdempotentRequest): Promise<TicketView> {
    return this.repeats.addUpdate(caller, number, dto, idempotent);
  }

  @Roles('cso', 'mobile')
  @Post(':number/re-reports')
  @IdempotentWork()
  reReport(@CurrentCaller() caller: Caller, @Param('number') number: string, @Body() dto: ReReportDto, @Idempotency() idempotent?: IdempotentRequest): Promise<ReReportAnswer> {
    return this.repeats.reReport(caller, number, dto, idempotent);
  }

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
