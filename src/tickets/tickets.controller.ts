import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer, EmptyAnswer, AcceptsIfMatch, AcceptsIfNoneMatch } from '../http/openapi/answers';
import type { FastifyReply } from 'fastify';
import { Idempotency, IdempotentWork, type IdempotentRequest } from '../http/idempotency';
import { IfMatch, IfNoneMatch, type NotModifiedTest, type TagList } from '../http/preconditions';
import { CurrentCaller } from '../auth/caller.decorator';
import { Roles, type Caller } from '../auth/roles';
import { StatusMoveDto } from './dto/status-move.dto';
import { TicketsService, type ListQuery } from './tickets.service';
import { QueryParams } from '../http/query-params';
import { ClientGone } from '../http/client-gone';
import { CUSTOMER_FILTER_PARAMS } from './list-filters';
import { LookupRateLimited } from '../personal-data-access/lookup-rate.guard';
import { enumList } from '../http/openapi/query-docs';
import { TicketStatus } from '../generated/prisma/enums';
import type { EventAnswer, TicketAnswer } from './ticket.view';

@ApiTags('tickets')
@ApiBearerAuth()
// The ticket core's routes: list, read, history and a unit's status move. The intakes (create, re-reports,
// confirmation, IML corrections) are src/intake's IntakeController and ImlController, on the same path.
@Controller('api/v1/tickets')
export class TicketsController {
  constructor(private readonly tickets: TicketsService) {}

  @ApiOperation({ operationId: 'listTickets', summary: 'List tickets (the unit dashboards poll this)' })
  @Answer(200, 'TicketPage', 'A page of tickets, oldest change first', 'Changes whenever the answer would change (weak); send it in If-None-Match')
  @AcceptsIfNoneMatch()
  @EmptyAnswer(304, 'Nothing changed since the ETag sent in If-None-Match')
  @Roles('cso', 'unit', 'backoffice', 'admin')
  @LookupRateLimited() // R-P5: counted when the query names a customer (idPel, meterNumber, phone)
  @Get()
  @QueryParams('unitCode', { name: 'status', ...enumList('Ticket statuses to include', Object.values(TicketStatus)) }, 'kind', 'open', 'overSla', 'updatedSince', 'outageId', 'limit', 'cursor', ...CUSTOMER_FILTER_PARAMS)
  async list(
    @CurrentCaller() caller: Caller,
    @Query() query: ListQuery,
    @IfNoneMatch() notModified: NotModifiedTest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ items: TicketAnswer[]; nextCursor: string | null } | undefined> {
    const answer = await this.tickets.list(caller, query, notModified, new ClientGone(reply));
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
  get(@CurrentCaller() caller: Caller, @Param('number') number: string): Promise<TicketAnswer> {
    return this.tickets.get(caller, number);
  }

  @ApiOperation({ operationId: 'listTicketEvents', summary: 'Read the history of a ticket' })
  @Answer(200, 'EventList', 'The events, oldest first')
  @Roles('cso', 'unit', 'backoffice', 'admin', 'listriqu', 'itsm')
  @Get(':number/events')
  async events(@CurrentCaller() caller: Caller, @Param('number') number: string): Promise<{ items: EventAnswer[] }> {
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
    @IfMatch() condition: TagList | undefined,
    @Idempotency() idempotent?: IdempotentRequest,
  ): Promise<TicketAnswer> {
    return this.tickets.moveStatus(caller, number, dto, condition, idempotent);
  }
}
