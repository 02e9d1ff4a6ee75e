import { Injectable } from '@nestjs/common';
import { ReadRouter } from '../database/read-router';
import type { Caller } from '../auth/roles';
import { EscalationService } from '../escalation/escalation.service';
import { toCsv } from './csv';
import { type AskedPeriod, parseMonth, parsePeriod, type Period } from './report-query';
import { UnitScopes } from '../units/unit-scopes';
import { ReportsRepository, UNIT_COUNTS } from './reports.repository';
import type { UnitRow } from './reports.sql';
import { byUnitAndDay, dailyItem, type DailyItem, indicatorItem, type IndicatorItem, unitReport, type UnitReport } from './report.view';
import { ReportException, ReportErrorCode } from './report.exception';

export interface ReportQuery {
  from?: string;
  to?: string;
  month?: string;
  unitCode?: string;
}

const NO_TICKETS = Object.fromEntries(UNIT_COUNTS.map((k) => [k, 0])) as unknown as UnitRow;

/** A named unit that answers no row does not exist (the statements give every unit in scope a row). */
function known<T>(period: Period, rows: T[]): T[] {
  if (period.unitCode && !rows.length) throw new ReportException(ReportErrorCode.UNIT_NOT_FOUND, `Unit ${period.unitCode} not found`);
  return rows;
}

// DOMAIN.md §13 (R-M2…R-M4). Each report is one statement over the tickets (src/reports/reports.sql.ts)
// and, where it counts escalations, one aggregate from the escalation module; the JSON and the CSV of
// the unit report are made from the same rows.
@Injectable()
export class ReportsService {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly escalations: EscalationService,
    private readonly scopes: UnitScopes,
    private readonly reads: ReadRouter,
  ) {}

  /**
   * R-H2, R-H3: the ULPs a report covers and the node whose roll-up row it adds. A unit caller may omit
   * `unitCode` (its own unit, with its roll-up when it is a UP3 or UID); naming a unit outside its
   * subtree is 404, as another unit's ticket is ("as if it did not exist").
   */
  private async span<P extends AskedPeriod>(caller: Caller, asked: P): Promise<P & Period> {
    const { scope, node, outside } = await this.scopes.narrowed(caller, asked.unitCode ?? undefined);
    if (outside) throw new ReportException(ReportErrorCode.UNIT_NOT_FOUND, `Unit ${asked.unitCode} not found`);
    return { ...asked, units: scope.units, rollUp: node?.code ?? null };
  }

  /** `signal`: the request's client went away (issue 14 point 18). */
  async units(caller: Caller, query: ReportQuery, signal?: AbortSignal): Promise<UnitReport[]> {
    const period = await this.span(caller, parsePeriod(query));
    // R-D1: a replica that has the caller's own writes may answer (both statements on the same database)
    const [rows, escalations] = await this.reads.read(caller, (db) =>
      Promise.all([this.repository.units(period, signal, db), this.escalations.aggregate(period, false, signal, db)]),
    );
    const byUnit = byUnitAndDay(escalations);
    return known(period, rows).map((row) => unitReport(row, period, byUnit));
  }

  /** The same rows as `units`, as CSV. */
  async unitsCsv(caller: Caller, query: ReportQuery, signal?: AbortSignal): Promise<string> {
    const period = parsePeriod(query);
    return toCsv(await this.units(caller, query, signal), unitReport({ ...NO_TICKETS, unitCode: '', unitName: '', reReports: null }, period, new Map()));
  }

  async indicators(caller: Caller, query: ReportQuery, signal?: AbortSignal): Promise<IndicatorItem[]> {
    const period = await this.span(caller, parseMonth(query));
    return known(period, await this.reads.read(caller, (db) => this.repository.indicators(period, signal, db))).map((row) => indicatorItem(row, period.month));
  }

  async daily(caller: Caller, query: ReportQuery, signal?: AbortSignal): Promise<DailyItem[]> {
    const period = await this.span(caller, parsePeriod(query));
    const [rows, escalations] = await this.reads.read(caller, (db) =>
      Promise.all([this.repository.daily(period, signal, db), this.escalations.aggregate(period, true, signal, db)]),
    );
    const byDay = byUnitAndDay(escalations);
    return known(period, rows).map((row) => dailyItem(row, byDay));
  }
}
