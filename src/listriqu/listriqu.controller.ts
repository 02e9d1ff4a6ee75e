import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { PROVINCES } from '../common/provinces';
import { Answer } from '../http/openapi/answers';
import { Roles } from '../auth/roles';
import { PutCoverageDto } from './listriqu.dto';
import { type OrderListQuery, parseOrderListQuery } from './listriqu.query';
import { ListriquService } from './listriqu.service';
import { QueryParams } from '../http/query-params';
import { enumList } from '../http/openapi/query-docs';
import { ORDER_STATUSES } from './listriqu.rules';
import type { CoverageAnswer, OrderAnswer } from './listriqu.view';

@ApiTags('listriqu')
@ApiBearerAuth()
@Controller('api/v1/listriqu')
export class ListriquController {
  constructor(private readonly listriqu: ListriquService) {}

  @ApiOperation({ operationId: 'listCoverage', summary: 'List where ListriQu serves (R-I1)' })
  @Answer(200, 'CoverageList', 'Every covered province')
  @Get('coverage')
  async coverage(): Promise<{ items: CoverageAnswer[] }> {
    return { items: await this.listriqu.listCoverage() };
  }

  @ApiOperation({ operationId: 'putCoverage', summary: 'Set since when ListriQu serves a province' })
  @Answer(200, 'Coverage', 'The coverage as stored')
  @Roles('admin')
  @ApiParam({ name: 'province', description: 'Province key of API.md (matched ignoring case and surrounding spaces)', schema: { type: 'string', enum: [...PROVINCES] } })
  @Put('coverage/:province')
  putCoverage(@Param('province') province: string, @Body() dto: PutCoverageDto): Promise<CoverageAnswer> {
    return this.listriqu.putCoverage(province, dto);
  }

  @ApiOperation({ operationId: 'listOrders', summary: 'List ListriQu orders' })
  @Answer(200, 'OrderPage', 'A page of orders')
  @Roles('listriqu', 'cso', 'admin')
  @Get('orders')
  @QueryParams({ name: 'status', ...enumList('Order statuses to include', ORDER_STATUSES) }, 'updatedSince', 'limit', 'cursor')
  orders(@Query() query: OrderListQuery): Promise<{ items: OrderAnswer[]; nextCursor: string | null }> {
    return this.listriqu.listOrders(parseOrderListQuery(query));
  }
}
