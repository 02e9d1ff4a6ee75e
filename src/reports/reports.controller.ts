import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, Roles } from '../auth/roles';
import { QueryParams } from '../http/query-params';
import type { DailyItem, IndicatorItem, UnitReport } from './report.view';
import { type ReportQuery, ReportsService } from './reports.service';

const wantsCsv = (accept: string | undefined) => /\btext\/csv\b/i.test(accept ?? '');

// DOMAIN.md §13, API.md `reports`: admin, backoffice, and a unit for its own unit (§10).
@ApiTags('reports')
@ApiBearerAuth()
@Controller('api/v1/reports')
export class ReportsController {
  constructor(private readonly reports: ReportsService) {}

  @Roles('admin', 'backoffice', 'unit')
  @Get('units')
  @QueryParams('from', 'to', 'unitCode')
  @ApiOperation({ operationId: 'getUnitReport', summary: 'Unit report for a period (R-M2); Accept: text/csv gives the same rows as CSV' })
  @ApiProduces('application/json', 'text/csv')
  async units(
    @Query() query: ReportQuery,
    @Headers('accept') accept: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<{ items: UnitReport[] } | string> {
    if (!wantsCsv(accept)) return { items: await this.reports.units(caller, query) };
    const csv = await this.reports.unitsCsv(caller, query);
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="unit-report-${query.from}-${query.to}.csv"`);
    return csv;
  }

  @Roles('admin', 'backoffice', 'unit')
  @Get('indicators')
  @QueryParams('month', 'unitCode')
  @ApiOperation({ operationId: 'getIndicatorReport', summary: "The regulator's indicators of Gangguan per unit and month (R-M3)" })
  async indicators(@Query() query: ReportQuery, @CurrentCaller() caller: Caller): Promise<{ items: IndicatorItem[] }> {
    return { items: await this.reports.indicators(caller, query) };
  }

  @Roles('admin', 'backoffice', 'unit')
  @Get('daily')
  @QueryParams('from', 'to', 'unitCode')
  @ApiOperation({ operationId: 'getDailyReport', summary: 'Daily counts per unit for a chart (R-M4)' })
  async daily(@Query() query: ReportQuery, @CurrentCaller() caller: Caller): Promise<{ items: DailyItem[] }> {
    return { items: await this.reports.daily(caller, query) };
  }
}
