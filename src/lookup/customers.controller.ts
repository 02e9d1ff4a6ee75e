import { Controller, Get, Query } from '@nestjs/common';
import { type Caller, Roles } from '../auth/roles';
import { CurrentCaller } from '../auth/caller.decorator';
import { ApiBearerAuth, ApiExtension, ApiOperation, ApiTags } from '@nestjs/swagger';
import { type ClientGone, ClientGoneSignal } from '../http/client-gone';
import { Answer } from '../http/openapi/answers';
import { QueryParams } from '../http/query-params';
import { LookupRateLimited } from '../personal-data-access/lookup-rate.guard';
import { CUSTOMER_TICKETS_PARAMS, HISTORY_PARAMS, parseCustomerTicketsQuery, parseHistoryQuery } from './lookup.query';
import { type CustomerTicket, type HistoryAnswer, LookupService } from './lookup.service';

@ApiTags('customers')
@ApiBearerAuth()
@Controller('api/v1/customers')
export class CustomersController {
  constructor(private readonly lookup: LookupService) {}

  @Roles('cso', 'backoffice', 'admin')
  @LookupRateLimited()
  @Get('history')
  @QueryParams(...HISTORY_PARAMS)
  @ApiExtension('x-exactly-one-of', [...HISTORY_PARAMS]) // exactly one of these query parameters (else 400)
  @Answer(200, 'CustomerHistory', 'Everything found, each list newest first (empty lists when nothing is found)')
  @ApiOperation({ operationId: 'getCustomerHistory', summary: 'A customer’s tickets, ListriQu orders, ITSM references and escalations, newest first (R-L1)' })
  history(@Query() query: Record<string, unknown>, @ClientGoneSignal() client: ClientGone, @CurrentCaller() caller: Caller): Promise<HistoryAnswer> {
    return this.lookup.history(parseHistoryQuery(query), client.signal, caller);
  }

  @Roles('mobile')
  @LookupRateLimited()
  @Get('tickets')
  @QueryParams(...CUSTOMER_TICKETS_PARAMS)
  @ApiExtension('x-exactly-one-of', [...CUSTOMER_TICKETS_PARAMS]) // exactly one of these query parameters (else 400)
  @Answer(200, 'CustomerTicketList', 'The customer’s tickets, newest first')
  @ApiOperation({ operationId: 'listCustomerTickets', summary: 'PLN Mobile: a customer’s tickets with their status timelines (R-L3)' })
  tickets(@Query() query: Record<string, unknown>, @ClientGoneSignal() client: ClientGone, @CurrentCaller() caller: Caller): Promise<{ items: CustomerTicket[] }> {
    return this.lookup.customerTickets(parseCustomerTicketsQuery(query), client.signal, caller);
  }
}
