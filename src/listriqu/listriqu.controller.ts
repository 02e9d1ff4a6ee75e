import { Body, Controller, Get, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { Roles } from '../auth/roles';
import { PutCoverageDto } from './listriqu.dto';
import { type OrderListQuery, parseOrderListQuery } from './listriqu.query';
import { ListriquService } from './listriqu.service';
import { QueryParams } from '../http/query-params';
import type { CoverageView, OrderView } from './listriqu.view';

@ApiTags('listriqu')
@ApiBearerAuth()
@Controller('api/v1/listriqu')
export class ListriquController {
  constructor(private readonly listriqu: ListriquService) {}

  @Get('coverage')
  async coverage(): Promise<{ items: CoverageView[] }> {
    return { items: await this.listriqu.listCoverage() };
  }

  @Roles('admin')
  @Put('coverage/:province')
  putCoverage(@Param('province') province: string, @Body() dto: PutCoverageDto): Promise<CoverageView> {
    return this.listriqu.putCoverage(province, dto);
  }

  @Roles('listriqu', 'cso', 'admin')
  @Get('orders')
  @QueryParams('status', 'updatedSince', 'limit', 'cursor')
  orders(@Query() query: OrderListQuery): Promise<{ items: OrderView[]; nextCursor: string | null }> {
    return this.listriqu.listOrders(parseOrderListQuery(query));
  }
}
