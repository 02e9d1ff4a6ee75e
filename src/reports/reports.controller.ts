import { Controller, Get, Headers, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, Roles } from '../auth/roles';
import { type ClientGone, ClientGoneSignal } from '../http/client-gone';
import { Answer, AnswerOrCsv, ProblemAnswer } from '../http/openapi/answers';
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
  @ProblemAnswer(404, 'No such unit, or another unit than a unit caller’s own')
  @ApiOperation({ operationId: 'getUnitReport', summary: 'Unit report for a period (R-M2); Accept: text/csv gives the same rows as CSV' })
  @AnswerOrCsv('UnitReportList', 'One report per unit; with Accept: text/csv the same rows as CSV (RFC 4180), one column per field path, as an attachment', 'unitCode,unitName,from,to,received.GANGGUAN,…\r\n542,UP3 Bandung,2026-11-01,2026-11-30,120,…\r\n')
  async units(
    @Query() query: ReportQuery,
    @Headers('accept') accept: string | undefined,
    @CurrentCaller() caller: Caller,
    @Res({ passthrough: true }) reply: FastifyReply,
    @ClientGoneSignal() client: ClientGone,
  ): Promise<{ items: UnitReport[] } | string> {
    if (!wantsCsv(accept)) return { items: await this.reports.units(caller, query, client.signal) };
    const csv = await this.reports.unitsCsv(caller, query, client.signal);
    void reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="unit-report-${query.from}-${query.to}.csv"`);
    return csv;
  }

  @Roles('admin', 'backoffice', 'unit')
  @Get('indicators')
  @QueryParams('month', 'unitCode')
  @Answer(200, 'IndicatorList', 'The indicators per unit')
  @ProblemAnswer(404, 'No such unit, or another unit than a unit caller’s own')
  @ApiOperation({ operationId: 'getIndicatorReport', summary: "The regulator's indicators of Gangguan per unit and month (R-M3)" })
  async indicators(@Query() query: ReportQuery, @CurrentCaller() caller: Caller, @ClientGoneSignal() client: ClientGone): Promise<{ items: IndicatorItem[] }> {
    return { items: await this.reports.indicators(caller, query, client.signal) };
  }

  @Roles('admin', 'backoffice', 'unit')
  @Get('daily')
  @QueryParams('from', 'to', 'unitCode')
  @Answer(200, 'DailyList', 'Every day of every unit')
  @ProblemAnswer(404, 'No such unit, or another unit than a unit caller’s own')
  @ApiOperation({ operationId: 'getDailyReport', summary: 'Daily counts per unit for a chart (R-M4)' })
  async daily(@Query() query: ReportQuery, @CurrentCaller() caller: Caller, @ClientGoneSignal() client: ClientGone): Promise<{ items: DailyItem[] }> {
    return { items: await this.reports.daily(caller, query, client.signal) };
  }
}
