import { Injectable } from '@nestjs/common';
import type { Reader } from '../database/read-router';
import { cancellable } from '../database/cancellable';
import { PrismaService } from '../database/prisma.service';
import type { Period } from './report-query';
import { dailyStatement, type DailyRow, indicatorStatement, type IndicatorRow, unitReportStatement, type UnitRow } from './reports.sql';

/** The counts of a unit's row; a unit without tickets in the period has none (null) of them. */
export const UNIT_COUNTS: (keyof UnitRow)[] = ['gangguan', 'keluhan', 'cc123', 'plnMobile', 'other', 'received', 'openNow', 'overSlaNow', 'breached',
  'responded', 'respondedWithinSla', 'jumlahLaporMelebihiSla', 'updateCount', 'confirmed', 'noConfirmation', 'reReported', 'issueClosed',
  'autoTransfers', 'ratingCount'];

/** A unit without tickets in the period: its counts 0 (the outer join left them null), its medians null. */
function withZeros<T extends object>(row: T, counts: (keyof T)[]): T {
  const filled = { ...row };
  for (const key of counts) filled[key] ??= 0 as T[keyof T];
  return filled;
}

// The reports read the tickets module's tables (tickets, ticket_events, units) and write nothing;
// escalations come from the escalation module's service.
@Injectable()
export class ReportsRepository {
  constructor(private readonly prisma: PrismaService) {}

  // Each statement is cancelled when `signal` aborts: the request's client went away (issue 14 point 18).
  async units(period: Period, signal?: AbortSignal, db?: Reader): Promise<UnitRow[]> {
    return (await cancellable<UnitRow>(db?.pool ?? this.prisma.pool, unitReportStatement(period), signal)).map((row) => withZeros(row, UNIT_COUNTS));
  }

  async indicators(period: Period, signal?: AbortSignal, db?: Reader): Promise<IndicatorRow[]> {
    return (await cancellable<IndicatorRow>(db?.pool ?? this.prisma.pool, indicatorStatement(period), signal)).map((row) => withZeros(row, ['responseCount', 'outageCount']));
  }

  daily(period: Period, signal?: AbortSignal, db?: Reader): Promise<DailyRow[]> {
    return cancellable<DailyRow>(db?.pool ?? this.prisma.pool, dailyStatement(period), signal);
  }
}
