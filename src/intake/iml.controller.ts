import { Body, Controller, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer } from '../http/openapi/answers';
import { CurrentCaller } from '../auth/caller.decorator';
import { Idempotency, IdempotentWork, type IdempotentRequest } from '../http/idempotency';
import { type Caller, Roles } from '../auth/roles';
import { ImlCorrectionDto } from './dto/iml-correction.dto';
import { ImlCorrectionsService } from './iml-corrections.service';
import type { ImlCorrectionAnswer } from './intake.view';

@ApiTags('tickets')
@ApiBearerAuth()
@Controller('api/v1/tickets')
export class ImlController {
  constructor(private readonly corrections: ImlCorrectionsService) {}

  @ApiOperation({ operationId: 'correctImlTicket', summary: 'Correct or cancel a forwarded IML report (R-I3)' })
  @Answer(201, 'ImlCorrectionAnswer', 'The issue-closed Keluhan and the order')
  @Roles('cso')
  @Post(':number/iml-corrections')
  @IdempotentWork()
  correct(
    @CurrentCaller() caller: Caller,
    @Param('number') number: string,
    @Body() dto: ImlCorrectionDto,
    @Idempotency() idempotent?: IdempotentRequest,
  ): Promise<ImlCorrectionAnswer> {
    return this.corrections.correct(caller, number, dto, idempotent); // R-I3
  }
}
