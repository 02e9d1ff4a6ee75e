import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import type { Period } from './report-query';
import { dailyStatement, type DailyRow, indicatorStatement, type IndicatorRow, unitReportStatement, type UnitRow } from './reports.sql';

// The reports read the tickets module's tables (tickets, ticket_events, units) and write nothing;
// escalations come from the escalation module's service.
@Injectable()
export class ReportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  units(period: Period): Promise<UnitRow[]> {
    return this.prisma.$queryRaw<UnitRow[]>(unitReportStatement(period));
  }

  indicators(period: Period): Promise<IndicatorRow[]> {
    return this.prisma.$queryRaw<IndicatorRow[]>(indicatorStatement(period));
  }

  daily(period: Period): Promise<DailyRow[]> {
    return this.prisma.$queryRaw<DailyRow[]>(dailyStatement(period));
  }
}
