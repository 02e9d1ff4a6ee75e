import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiBody, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer, EmptyAnswer } from '../http/openapi/answers';
import type { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, Roles } from '../auth/roles';
import { ClaimNextDto, CreateEscalationDto, FinishEscalationDto } from '../escalation/escalation.dto';
import { type ListQuery, parseListQuery } from '../escalation/escalation.query';
import { EscalationService } from '../escalation/escalation.service';
import { TicketEscalationsService } from '../tickets/ticket-escalations.service';
import { QueryParams } from '../http/query-params';
import { enumList } from '../http/openapi/query-docs';
import { ESCALATION_CATEGORIES, ESCALATION_STATUSES } from '../escalation/escalation.rules';
import { EscalationAnswer } from '../escalation/escalation.view';
import { Idempotency, IdempotentWork, type IdempotentRequest } from '../http/idempotency';

@ApiTags('escalations')
@ApiBearerAuth()
@Controller('api/v1/escalations')
export class EscalationController {
  constructor(
    private readonly escalations: EscalationService,
    private readonly ticketEscalations: TicketEscalationsService,
  ) {}

  @ApiOperation({ operationId: 'listEscalations', summary: 'List the escalation queue' })
  @Answer(200, 'EscalationPage', 'A page of escalations')
  @Roles('backoffice', 'admin')
  @Get()
  @QueryParams({ name: 'status', ...enumList('Escalation statuses to include', ESCALATION_STATUSES) }, { name: 'category', ...enumList('Escalation categories to include', ESCALATION_CATEGORIES) }, 'limit', 'cursor')
  list(@Query() query: ListQuery): Promise<{ items: EscalationAnswer[]; nextCursor: string | null }> {
    return this.escalations.list(parseListQuery(query));
  }

  @ApiOperation({ operationId: 'createEscalation', summary: 'Escalate to the back office' })
  @Answer(201, 'Escalation', 'The new escalation')
  @Roles('cso')
  @Post()
  @IdempotentWork()
  create(@Body() dto: CreateEscalationDto, @CurrentCaller() caller: Caller, @Idempotency() idempotent?: IdempotentRequest): Promise<EscalationAnswer> {
    return this.ticketEscalations.create(
      caller,
      { category: dto.category, ticketNumber: dto.ticketNumber ?? null, note: dto.note, callbackAt: dto.callbackAt ? new Date(dto.callbackAt) : null },
      idempotent,
    );
  }

  @ApiOperation({ operationId: 'claimNextEscalation', summary: 'Claim the next open escalation (R-E2)' })
  @ApiBody({ type: ClaimNextDto, required: false })
  @Answer(200, 'Escalation', 'The claimed escalation')
  @EmptyAnswer(204, 'No open escalation')
  @Roles('backoffice')
  @Post('claim-next')
  @HttpCode(200)
  async claimNext(
    @Body() dto: ClaimNextDto,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<EscalationAnswer | undefined> {
    const claimed = await this.escalations.claimNext(caller.sub, dto?.categories);
    if (claimed) return claimed;
    void reply.status(204);
    return undefined;
  }

  @ApiOperation({ operationId: 'finishEscalation', summary: 'Finish a claimed escalation (the claimer only)' })
  @Answer(200, 'Escalation', 'The finished escalation')
  @Roles('backoffice')
  @Post(':id/done')
  @HttpCode(200)
  @IdempotentWork(200)
  finish(@Param('id') id: string, @Body() dto: FinishEscalationDto, @CurrentCaller() caller: Caller, @Idempotency() idempotent?: IdempotentRequest): Promise<EscalationAnswer> {
    return this.ticketEscalations.finish(caller, id, dto.note, idempotent);
  }
}
