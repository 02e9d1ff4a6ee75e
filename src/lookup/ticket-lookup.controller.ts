import { Body, Controller, Get, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/caller.decorator';
import { Roles, type Caller } from '../auth/roles';
import { Answer, ProblemAnswer } from '../http/openapi/answers';
import { Idempotency, IdempotentWork, type IdempotentRequest } from '../http/idempotency';
import { QueryParams } from '../http/query-params';
import { RatingDto } from '../tickets/dto/rating.dto';
import { RatingService } from '../tickets/rating.service';
import type { TicketAnswer } from '../tickets/ticket.view';
import { parsePreviewQuery, PREVIEW_PARAMS } from './lookup.query';
import { type PreviewAnswer, ReReportPreviewService } from './re-report-preview.service';

// The §12 routes under a ticket: R-L2's preview and R-L4's rating.
@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api/v1/tickets')
export class TicketLookupController {
  constructor(
    private readonly previews: ReReportPreviewService,
    private readonly ratings: RatingService,
  ) {}

  @Roles('cso', 'mobile')
  @Get(':number/re-report-preview')
  @QueryParams(...PREVIEW_PARAMS)
  @Answer(200, 'ReReportPreview', 'What the re-report would do')
  @ProblemAnswer(409, 'The re-report would be refused (the same problem it would answer)')
  @ApiOperation({ operationId: 'getReReportPreview', summary: 'What a re-report would do now, changing nothing (R-L2)' })
  preview(@CurrentCaller() caller: Caller, @Param('number') number: string, @Query() query: Record<string, unknown>): Promise<PreviewAnswer> {
    return this.previews.preview(caller, number, parsePreviewQuery(query));
  }

  @Roles('cso', 'mobile')
  @Post(':number/rating')
  @Answer(201, 'Ticket', 'The ticket with its rating')
  @ApiOperation({ operationId: 'addTicketRating', summary: 'The customer’s rating, once, from NYALA on (R-L4)' })
  @IdempotentWork()
  rate(@CurrentCaller() caller: Caller, @Param('number') number: string, @Body() dto: RatingDto, @Idempotency() idempotent?: IdempotentRequest): Promise<TicketAnswer> {
    return this.ratings.rate(caller, number, dto, idempotent);
  }
}
