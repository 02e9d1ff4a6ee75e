import type { EscalationAggregate } from '../escalation/escalation.repository';
import type { DailyRow, IndicatorRow, UnitRow } from './reports.sql';

// The answers of the reports (API.md `UnitReport` and the rows of `indicators` and `daily`), made from
// the statements' rows by pure functions. Percentages are computed here from the integer counts, not
// rounded: a client computing 100 × a / b gets the same number.

export const TREATMENTS = ['UPDATE_LAPOR', 'LAPOR_MELEBIHI_SLA', 'LAPOR_ULANG', 'ISSUE_CLOSED', 'LAPORAN_BARU', 'LAPOR_ULANG_LISTRIQU'] as const;
export const CATEGORIES = ['LAPOR_ULANG', 'LAPORAN_MELEBIHI_SLA', 'URGENT', 'CALLBACK_PELANGGAN', 'REQUEST_CALLBACK'] as const;

export interface UnitReport {
  unitCode: string;
  unitName: string;
  from: string;
  to: string;
  received: { GANGGUAN: number; KELUHAN: number; byChannel: { CC123: number; PLN_MOBILE: number; OTHER: number } };
  openNow: number;
  overSlaNow: number;
  breached: number;
  breachedPct: number | null;
  respondedWithinSlaPct: number | null;
  respondMinutes: { p50: number | null; p90: number | null };
  resolveMinutes: { p50: number | null; p90: number | null };
  jumlahLaporMelebihiSla: number;
  updateCount: number;
  reReports: Record<(typeof TREATMENTS)[number], number>;
  closings: { CONFIRMED: number; NO_CONFIRMATION: number; RE_REPORTED: number };
  issueClosed: number;
  escalations: Record<(typeof CATEGORIES)[number], { count: number; doneMinutesP50: number | null }>;
  autoTransfers: number;
  rating: { count: number; mean: number | null };
}

export interface IndicatorItem {
  unitCode: string;
  month: string;
  responseHours: { mean: number | null; p90: number | null; count: number };
  outageHours: { mean: number | null; p90: number | null; count: number };
}

export interface DailyItem {
  date: string;
  unitCode: string;
  received: number;
  resolved: number;
  breached: number;
  reReports: number;
  escalations: number;
}

/** `part` as a percentage of `whole`; null when there is nothing to divide by. */
export const pct = (part: number, whole: number): number | null => (whole > 0 ? (100 * part) / whole : null);

export function unitReport(row: UnitRow, period: { from: string; to: string }, escalations: Map<string, EscalationAggregate[]>): UnitReport {
  const mine = escalations.get(`${row.unitCode}/`) ?? [];
  return {
    unitCode: row.unitCode,
    unitName: row.unitName,
    from: period.from,
    to: period.to,
    received: { GANGGUAN: row.gangguan, KELUHAN: row.keluhan, byChannel: { CC123: row.cc123, PLN_MOBILE: row.plnMobile, OTHER: row.other } },
    openNow: row.openNow,
    overSlaNow: row.overSlaNow,
    breached: row.breached,
    breachedPct: pct(row.breached, row.received),
    respondedWithinSlaPct: pct(row.respondedWithinSla, row.responded),
    respondMinutes: { p50: row.respondP50, p90: row.respondP90 },
    resolveMinutes: { p50: row.resolveP50, p90: row.resolveP90 },
    jumlahLaporMelebihiSla: row.jumlahLaporMelebihiSla,
    updateCount: row.updateCount,
    reReports: Object.fromEntries(TREATMENTS.map((t) => [t, row.reReports?.[t] ?? 0])) as UnitReport['reReports'],
    closings: { CONFIRMED: row.confirmed, NO_CONFIRMATION: row.noConfirmation, RE_REPORTED: row.reReported },
    issueClosed: row.issueClosed,
    escalations: Object.fromEntries(
      CATEGORIES.map((c) => {
        const e = mine.find((x) => x.category === c);
        return [c, { count: e?.count ?? 0, doneMinutesP50: e?.doneMinutesP50 ?? null }];
      }),
    ) as UnitReport['escalations'],
    autoTransfers: row.autoTransfers,
    rating: { count: row.ratingCount, mean: row.ratingMean },
  };
}

export const indicatorItem = (row: IndicatorRow, month: string): IndicatorItem => ({
  unitCode: row.unitCode,
  month,
  responseHours: { mean: row.responseMean, p90: row.responseP90, count: row.responseCount },
  outageHours: { mean: row.outageMean, p90: row.outageP90, count: row.outageCount },
});

/** The escalation aggregates by unit (and day), so that each row finds its own without a scan. */
export function byUnitAndDay(aggregates: EscalationAggregate[]): Map<string, EscalationAggregate[]> {
  const map = new Map<string, EscalationAggregate[]>();
  for (const a of aggregates) {
    const key = `${a.unitCode}/${a.date ?? ''}`;
    map.set(key, [...(map.get(key) ?? []), a]);
  }
  return map;
}

export const dailyItem = (row: DailyRow, escalations: Map<string, EscalationAggregate[]>): DailyItem => ({
  ...row,
  escalations: (escalations.get(`${row.unitCode}/${row.date}`) ?? []).reduce((n, e) => n + e.count, 0),
});
