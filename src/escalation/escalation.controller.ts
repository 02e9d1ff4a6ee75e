import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, Roles } from '../auth/roles';
import { ClaimNextDto, CreateEscalationDto, FinishEscalationDto } from './escalation.dto';
import { type ListQuery, parseListQuery } from './escalation.query';
import { EscalationService } from './escalation.service';
import { TicketEscalationsService } from '../tickets/ticket-escalations.service';
import { QueryParams } from '../http/query-params';
import { EscalationView } from './escalation.view';
import { Idempotency, IdempotentWork, type IdempotentRequest } from '../http/idempotency';

@ApiTags('escalations')
@ApiBearerAuth()
@Controller('api/v1/escalations')
export class EscalationController {
  constructor(
    private readonly escalations: EscalationService,
    private readonly ticketEscalations: TicketEscalationsService,
  ) {}

  @Roles('backoffice', 'admin')
  @Get()
  @QueryParams('status', 'category', 'limit', 'cursor')
  list(@Query() query: ListQuery): Promise<{ items: EscalationView[]; nextCursor: string | null }> {
    return this.escalations.list(parseListQuery(query));
  }

  @Roles('cso')
  @Post()
  @IdempotentWork()
  create(@Body() dto: CreateEscalationDto, @CurrentCaller() caller: Caller, @Idempotency() idempotent?: IdempotentRequest): Promise<EscalationView> {
    return this.ticketEscalations.create(
      caller,
      { category: dto.category, ticketNumber: dto.ticketNumber ?? null, note: dto.note, callbackAt: dto.callbackAt ? new Date(dto.callbackAt) : null },
      idempotent,
    );
  }

  @Roles('backoffice')
  @Post('claim-next')
  @HttpCode(200)
  async claimNext(
    @Body() dto: ClaimNextDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EscalationView | undefined> {
    const claimed = await this.escalations.claimNext(caller.sub, dto?.categories);
    if (claimed) return claimed;
    void reply.status(204);
    return undefined;
  }

  @Roles('backoffice')
  @Post(':id/done')
  @HttpCode(200)
  @IdempotentWork(200)
  finish(@Param('id') id: string, @Body() dto: FinishEscalationDto, @CurrentCaller() caller: Caller, @Idempotency() idempotent?: IdempotentRequest): Promise<EscalationView> {
    return this.ticketEscalations.finish(caller, id, dto.note, idempotent);
  }
}
