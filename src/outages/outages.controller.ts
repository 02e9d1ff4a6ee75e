import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, Roles } from '../auth/roles';
import { AcceptsIfMatch, Answer, ProblemAnswer } from '../http/openapi/answers';
import { Idempotency, IdempotentWork, type IdempotentRequest } from '../http/idempotency';
import { IfMatch, type TagList } from '../http/preconditions';
import { QueryParams } from '../http/query-params';
import type { OutageAttachAnswer } from '../tickets/outage-tickets.service';
import type { TicketAnswer } from '../tickets/ticket.view';
import { AttachTicketsDto, CreateOutageDto, OutageStatusDto, UpdateOutageDto } from './outages.dto';
import type { OutageAnswer } from './outage.view';
import { type OutageListQuery, OutagesService } from './outages.service';

// Mass outages ("Padam Meluas", DOMAIN.md §14, API.md `outages`).
@ApiTags('outages')
@ApiBearerAuth()
@Controller('api/v1/outages')
export class OutagesController {
  constructor(private readonly outages: OutagesService) {}

  @Roles('unit', 'admin')
  @Post()
  @Answer(201, 'Outage', 'The outage')
  @ProblemAnswer(404, 'No such unit, or another unit than the caller’s')
  @ApiOperation({ operationId: 'createOutage', summary: 'Declare a mass outage of a unit (R-O1)' })
  @IdempotentWork()
  create(@CurrentCaller() caller: Caller, @Body() dto: CreateOutageDto, @Idempotency() idempotent?: IdempotentRequest): Promise<OutageAnswer> {
    return this.outages.create(caller, dto, idempotent);
  }

  @Roles('cso', 'mobile', 'unit', 'backoffice', 'admin')
  @Get()
  @QueryParams('unitCode', 'active', 'limit', 'cursor')
  @Answer(200, 'OutagePage', 'A page of outages')
  @ApiOperation({ operationId: 'listOutages', summary: 'Outages, newest first; ?active=true: those reports can still join (R-O2)' })
  list(@CurrentCaller() caller: Caller, @Query() query: OutageListQuery): Promise<{ items: OutageAnswer[]; nextCursor: string | null }> {
    return this.outages.list(caller, query);
  }

  @Roles('cso', 'mobile', 'unit', 'backoffice', 'admin')
  @Get(':id')
  @Answer(200, 'Outage', 'The outage')
  @ApiOperation({ operationId: 'getOutage', summary: 'One outage with its ticket counts and propagation progress' })
  get(@CurrentCaller() caller: Caller, @Param('id') id: string): Promise<OutageAnswer> {
    return this.outages.get(caller, id);
  }

  @Roles('unit', 'admin')
  @Post(':id/tickets')
  @HttpCode(200)
  @Answer(200, 'OutageAttachAnswer', 'The numbers attached and those refused')
  @ApiOperation({ operationId: 'addOutageTickets', summary: 'Attach open Gangguan tickets by number, 1–1,000 (R-O2)' })
  @IdempotentWork(200)
  attach(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() dto: AttachTicketsDto,
    @Idempotency() idempotent?: IdempotentRequest,
  ): Promise<OutageAttachAnswer> {
    return this.outages.attach(caller, id, dto.numbers, idempotent);
  }

  @Roles('unit', 'admin')
  @Delete(':id/tickets/:number')
  @Answer(200, 'Ticket', 'The ticket, no longer following the outage')
  @ApiOperation({ operationId: 'removeOutageTicket', summary: 'A ticket leaves the outage (R-O4)' })
  detach(@CurrentCaller() caller: Caller, @Param('id') id: string, @Param('number') number: string): Promise<TicketAnswer> {
    return this.outages.detach(caller, id, number);
  }

  @Roles('unit', 'admin')
  @Post(':id/status')
  @HttpCode(202)
  @IdempotentWork(202)
  @Answer(202, 'Outage', 'The outage in its new status; its tickets follow by propagation')
  @AcceptsIfMatch()
  @ApiOperation({ operationId: 'moveOutageStatus', summary: 'Move the outage; its tickets follow by propagation (R-O1, R-O3)' })
  move(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() dto: OutageStatusDto,
    @IfMatch() condition: TagList | undefined,
    @Idempotency() idempotent?: IdempotentRequest,
  ): Promise<OutageAnswer> {
    return this.outages.moveStatus(caller, id, dto, condition, idempotent);
  }

  @Roles('unit', 'admin')
  @Patch(':id')
  @Answer(200, 'Outage', 'The changed outage')
  @ProblemAnswer(409, 'The outage is in a final status')
  @AcceptsIfMatch()
  @ApiOperation({ operationId: 'updateOutage', summary: 'Change etr, title, cause or area; a new etr is noted on each open ticket (R-O3)' })
  update(
    @CurrentCaller() caller: Caller,
    @Param('id') id: string,
    @Body() dto: UpdateOutageDto,
    @IfMatch() condition: TagList | undefined,
  ): Promise<OutageAnswer> {
    return this.outages.update(caller, id, dto, condition);
  }
}
