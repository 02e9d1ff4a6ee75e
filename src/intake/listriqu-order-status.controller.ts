import { Body, Controller, HttpCode, Param, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer } from '../http/openapi/answers';
import { CurrentCaller } from '../auth/caller.decorator';
import { Idempotency, IdempotentWork, type IdempotentRequest } from '../http/idempotency';
import { type Caller, Roles } from '../auth/roles';
import { OrderStatusDto } from '../listriqu/listriqu.dto';
import type { OrderAnswer } from '../listriqu/listriqu.view';
import { ImlCorrectionsService } from './iml-corrections.service';

// ListriQu's status report of an order (R-I5) sits with the IML intake, not in src/listriqu: it writes an
// event on the forwarded ticket, so it needs the ticket core, and src/listriqu stays below the intakes
// (intake -> listriqu, never back). Its path and tag are ListriQu's.
@ApiTags('listriqu')
@ApiBearerAuth()
@Controller('api/v1/listriqu/orders')
export class ListriquOrderStatusController {
  constructor(private readonly corrections: ImlCorrectionsService) {}

  @ApiOperation({ operationId: 'reportOrderStatus', summary: 'ListriQu reports the status of an order (R-I5)' })
  @Answer(200, 'Order', 'The order with the status')
  @Roles('listriqu')
  @Post(':ticketNumber/status')
  @HttpCode(200)
  @IdempotentWork(200)
  report(
    @CurrentCaller() caller: Caller,
    @Param('ticketNumber') ticketNumber: string,
    @Body() dto: OrderStatusDto,
    @Idempotency() idempotent?: IdempotentRequest,
  ): Promise<OrderAnswer> {
    return this.corrections.reportOrderStatus(caller, ticketNumber, dto, idempotent); // R-I5
  }
}
