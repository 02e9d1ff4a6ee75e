import { AnswerShape, date, Field, inline, integer, list, matching, nullable, number, record, ref, string } from '../common/answer-shape';
import type { EscalationAggregate } from '../escalation/escalation.repository';
import { ESCALATION_CATEGORIES } from '../escalation/escalation.rules';
import type { EscalationCategory } from '../generated/prisma/enums';
import { TREATMENTS } from '../tickets/ticket.view';
import type { DailyRow, IndicatorRow, UnitRow } from './reports.sql';

// The answers of the reports (API.md `UnitReport` and the rows of `indicators` and `daily`), made from
// the statements' rows by pure functions. Percentages are computed here from the integer counts, not
// rounded: a client computing 100 × a / b gets the same number.

const UNIT_CODE = '^\\d{2,5}$';
const p50p90 = () => inline(PercentilesAnswer);

export class PercentilesAnswer {
  @Field(nullable(number())) p50!: number | null;
  @Field(nullable(number())) p90!: number | null;
}

export class ReceivedAnswer {
  @Field(integer()) GANGGUAN!: number;
  @Field(integer()) KELUHAN!: number;
  @Field(record(['CC123', 'PLN_MOBILE', 'OTHER'], integer())) byChannel!: { CC123: number; PLN_MOBILE: number; OTHER: number };
}

export class EscalationFiguresAnswer {
  @Field(integer()) count!: number;
  @Field(nullable(number())) doneMinutesP50!: number | null;
}

export class RatingFiguresAnswer {
  @Field(integer()) count!: number;
  @Field(nullable(number())) mean!: number | null;
}

const UNIT_REPORT_EXAMPLE = {
  unitCode: '542', unitName: 'UP3 Bandung', from: '2026-11-01', to: '2026-11-30',
  received: { GANGGUAN: 120, KELUHAN: 30, byChannel: { CC123: 100, PLN_MOBILE: 45, OTHER: 5 } },
  openNow: 8, overSlaNow: 2, breached: 12, breachedPct: 8, respondedWithinSlaPct: 92.5,
  respondMinutes: { p50: 25, p90: 70 }, resolveMinutes: { p50: 95, p90: 170 }, jumlahLaporMelebihiSla: 4, updateCount: 20,
  reReports: Object.fromEntries(TREATMENTS.map((t) => [t, 1])),
  closings: { CONFIRMED: 90, NO_CONFIRMATION: 40, RE_REPORTED: 5 }, issueClosed: 6,
  escalations: Object.fromEntries(ESCALATION_CATEGORIES.map((c) => [c, { count: 1, doneMinutesP50: 30 }])),
  autoTransfers: 1, rating: { count: 10, mean: 4.2 },
};

/** API.md's UnitReport; the document's UnitReport is this class (issue 24). */
@AnswerShape({ name: 'UnitReport', description: 'A unit’s report for a period (API.md UnitReport, R-M2).', example: UNIT_REPORT_EXAMPLE })
export class UnitReport {
  @Field(matching(UNIT_CODE, 'a ULP, or the UP3/UID asked for (its roll-up, R-H3)')) unitCode!: string;
  @Field(string('An addition to API.md')) unitName!: string;
  @Field(date()) from!: string;
  @Field(date()) to!: string;
  @Field(inline(ReceivedAnswer)) received!: ReceivedAnswer;
  @Field(integer()) openNow!: number;
  @Field(integer()) overSlaNow!: number;
  @Field(integer()) breached!: number;
  @Field(nullable(number('null when nothing was received'))) breachedPct!: number | null;
  @Field(nullable(number('null when nothing was responded to'))) respondedWithinSlaPct!: number | null;
  @Field(p50p90()) respondMinutes!: PercentilesAnswer;
  @Field(p50p90()) resolveMinutes!: PercentilesAnswer;
  @Field(integer()) jumlahLaporMelebihiSla!: number;
  @Field(integer()) updateCount!: number;
  @Field(record(TREATMENTS, integer(), 'Re-reports by treatment')) reReports!: Record<(typeof TREATMENTS)[number], number>;
  @Field(record(['CONFIRMED', 'NO_CONFIRMATION', 'RE_REPORTED'], integer())) closings!: { CONFIRMED: number; NO_CONFIRMATION: number; RE_REPORTED: number };
  @Field(integer()) issueClosed!: number;
  @Field(record(ESCALATION_CATEGORIES, inline(EscalationFiguresAnswer), 'Escalations by category')) escalations!: Record<EscalationCategory, EscalationFiguresAnswer>;
  @Field(integer()) autoTransfers!: number;
  @Field(inline(RatingFiguresAnswer)) rating!: RatingFiguresAnswer;
}

@AnswerShape({ name: 'UnitReportList', description: 'One report per unit.', example: { items: [UNIT_REPORT_EXAMPLE] } })
export class UnitReportListAnswer {
  @Field(list(ref(UnitReport))) items!: UnitReport[];
}

export class HoursAnswer {
  @Field(nullable(number())) mean!: number | null;
  @Field(nullable(number())) p90!: number | null;
  @Field(integer()) count!: number;
}

export class IndicatorItem {
  @Field(matching(UNIT_CODE)) unitCode!: string;
  @Field(matching('^\\d{4}-\\d{2}$')) month!: string;
  @Field(inline(HoursAnswer)) responseHours!: HoursAnswer;
  @Field(inline(HoursAnswer)) outageHours!: HoursAnswer;
}

const INDICATOR_EXAMPLE = { unitCode: '542', month: '2026-11', responseHours: { mean: 0.6, p90: 1.2, count: 120 }, outageHours: { mean: 2.1, p90: 3.5, count: 118 } };

@AnswerShape({ name: 'IndicatorList', description: "The regulator's indicators of Gangguan per unit and month (R-M3).", example: { items: [INDICATOR_EXAMPLE] } })
export class IndicatorListAnswer {
  @Field(list(inline(IndicatorItem))) items!: IndicatorItem[];
}

export class DailyItem {
  @Field(date()) date!: string;
  @Field(matching(UNIT_CODE)) unitCode!: string;
  @Field(integer()) received!: number;
  @Field(integer()) resolved!: number;
  @Field(integer()) breached!: number;
  @Field(integer()) reReports!: number;
  @Field(integer()) escalations!: number;
}

const DAILY_EXAMPLE = { date: '2026-11-23', unitCode: '542', received: 7, resolved: 5, breached: 1, reReports: 2, escalations: 1 };

@AnswerShape({ name: 'DailyList', description: 'Daily counts per unit (R-M4).', example: { items: [DAILY_EXAMPLE] } })
export class DailyListAnswer {
  @Field(list(inline(DailyItem))) items!: DailyItem[];
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
      ESCALATION_CATEGORIES.map((c) => {
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
