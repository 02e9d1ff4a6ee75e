import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { ApiError, api, currentBearer, must } from '../api/client';
import type { DailyRow, UnitReport } from '../api/types';
import { ActiveDefinition } from '../components/definitions';
import { ErrorText, Field } from '../components/field';
import { UnitPicker } from '../components/unit-picker';
import { formatDate, formatNumber, formatPercent } from '../format';
import type { Session } from '../session';

// Reports count days in the units' own zones (R-M4); "today" is the WIB date, not UTC's: from 00:00 to
// 07:00 WIB the UTC date is still yesterday's, and the default period would leave today's tickets out.
const WIB_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Jakarta', year: 'numeric', month: '2-digit', day: '2-digit' });
const day = (d: Date) => WIB_DATE.format(d);
const fmt = formatNumber;

/** Laporan (R-M2…R-M4): the unit report with its CSV, the daily series as a chart, the indicators per month. */
export function ReportsPage({ session }: { session: Session }) {
  const today = new Date();
  const [period, setPeriod] = useState({ from: day(new Date(today.getTime() - 6 * 86_400_000)), to: day(today), unitCode: session.unit ?? '' });
  const [asked, setAsked] = useState(period);
  const [month, setMonth] = useState(day(today).slice(0, 7));
  const unitCode = asked.unitCode.trim() || undefined;
  const query = { from: asked.from, to: asked.to, unitCode };
  const units = useQuery({
    queryKey: ['report-units', asked],
    queryFn: async () => {
      // the operation also answers text/csv (the download below); this call asks for JSON
      const report = must(await api.GET('/api/v1/reports/units', { params: { query }, headers: { accept: 'application/json' } }));
      if (typeof report === 'string') throw new Error('the unit report came back as CSV');
      return report.items;
    },
  });
  const daily = useQuery({
    queryKey: ['report-daily', asked],
    queryFn: async () => must(await api.GET('/api/v1/reports/daily', { params: { query } })).items,
  });
  const indicators = useQuery({
    queryKey: ['report-indicators', month, unitCode],
    queryFn: async () => must(await api.GET('/api/v1/reports/indicators', { params: { query: { month, unitCode } } })).items,
  });
  // The CSV is the same query asked with Accept: text/csv (R-M2); a link cannot carry the bearer header.
  const csv = useMutation({
    mutationFn: async () => {
      const url = new URL('/api/v1/reports/units', window.location.origin);
      for (const [k, v] of Object.entries(query)) if (v) url.searchParams.set(k, v);
      const response = await fetch(url, { headers: { accept: 'text/csv', authorization: `Bearer ${currentBearer() ?? ''}` } });
      if (!response.ok) throw new ApiError(response.status, null);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await response.blob());
      link.download = `laporan-unit-${asked.from}-${asked.to}.csv`;
      link.click();
      URL.revokeObjectURL(link.href);
    },
  });
  const text = (key: keyof typeof period) => (e: React.ChangeEvent<HTMLInputElement>) => setPeriod((p) => ({ ...p, [key]: e.target.value }));

  return (
    <div className="reports">
      <h1>Laporan</h1>
      <form
        className="filters"
        aria-label="Periode laporan"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked(period);
        }}
      >
        <Field label="Dari tanggal">{(p) => <input {...p} type="date" required value={period.from} onChange={text('from')} />}</Field>
        <Field label="Sampai tanggal">{(p) => <input {...p} type="date" required value={period.to} onChange={text('to')} />}</Field>
        <UnitPicker root={session.unit} value={period.unitCode} onChange={(unitCode) => setPeriod((p) => ({ ...p, unitCode }))} allLabel={session.unit ? undefined : 'Semua unit'} />
        <div className="actions">
          <button type="submit">Tampilkan</button>
          <button type="button" className="secondary" disabled={csv.isPending} onClick={() => csv.mutate()}>
            Unduh CSV
          </button>
        </div>
      </form>
      <ErrorText error={units.error ?? daily.error ?? csv.error} />
      <section aria-labelledby="laporan-unit">
        <h2 id="laporan-unit">Laporan unit</h2>
        <ActiveDefinition />
        {units.data && (
          <UnitTable
            rows={units.data}
            rollUp={(unitCode ?? session.unit) && units.data.length > 1 ? units.data[units.data.length - 1].unitCode : null}
            open={(unitCode) => {
              setPeriod((p) => ({ ...p, unitCode }));
              setAsked((a) => ({ ...a, unitCode }));
            }}
          />
        )}
        {units.data && <SlaChart rows={units.data} />}
      </section>
      <section aria-labelledby="harian">
        <h2 id="harian">Harian</h2>
        {daily.data && <DailyChart rows={daily.data} />}
      </section>
      <section aria-labelledby="indikator">
        <h2 id="indikator">Indikator per bulan</h2>
        <Field label="Bulan">{(p) => <input {...p} type="month" value={month} onChange={(e) => setMonth(e.target.value)} />}</Field>
        <ErrorText error={indicators.error} />
        {indicators.data && (
          <table className="table">
            <caption>Gangguan: kecepatan tanggapan dan lama padam (jam)</caption>
            <thead>
              <tr>
                <th scope="col">Unit</th>
                <th scope="col" className="num">Tanggapan rata-rata</th>
                <th scope="col" className="num">Tanggapan p90</th>
                <th scope="col" className="num">Jumlah</th>
                <th scope="col" className="num">Lama padam rata-rata</th>
                <th scope="col" className="num">Lama padam p90</th>
                <th scope="col" className="num">Jumlah</th>
              </tr>
            </thead>
            <tbody>
              {indicators.data.map((r) => (
                <tr key={r.unitCode}>
                  <td>{r.unitCode}</td>
                  <td className="num">{fmt(r.responseHours.mean, 2)}</td>
                  <td className="num">{fmt(r.responseHours.p90, 2)}</td>
                  <td className="num">{fmt(r.responseHours.count)}</td>
                  <td className="num">{fmt(r.outageHours.mean, 2)}</td>
                  <td className="num">{fmt(r.outageHours.p90, 2)}</td>
                  <td className="num">{fmt(r.outageHours.count)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </div>
  );
}

/** R-H3: the ULPs' rows, then the roll-up row of the UP3/UID asked for; a manager opens a ULP from its row. */
function UnitTable({ rows, rollUp, open }: { rows: UnitReport[]; rollUp: string | null; open: (unitCode: string) => void }) {
  return (
    <table className="table" data-testid="laporan-unit">
      <caption>
        Periode {rows[0] ? formatDate(rows[0].from) : '—'} s.d. {rows[0] ? formatDate(rows[0].to) : '—'}
      </caption>
      <thead>
        <tr>
          <th scope="col">Unit</th>
          <th scope="col" className="num">Gangguan</th>
          <th scope="col" className="num">Keluhan</th>
          <th scope="col" className="num">Terbuka kini</th>
          <th scope="col" className="num">Melebihi SLA kini</th>
          <th scope="col" className="num">Melanggar SLA</th>
          <th scope="col" className="num">% tanggap dalam SLA</th>
          <th scope="col" className="num">Tanggap p50/p90 (menit)</th>
          <th scope="col" className="num">Selesai p50/p90 (menit)</th>
          <th scope="col" className="num">Jumlah Lapor Melebihi SLA</th>
          <th scope="col" className="num">Rating</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => (
          <tr key={r.unitCode} className={r.unitCode === rollUp ? 'roll-up' : undefined}>
            <td>
              {rollUp !== null && r.unitCode !== rollUp ? (
                <button type="button" className="link" onClick={() => open(r.unitCode)} aria-label={`Buka ULP ${r.unitCode}`}>
                  {r.unitCode}
                </button>
              ) : (
                <>
                  {r.unitCode}
                  {r.unitCode === rollUp && ' (gabungan)'}
                </>
              )}
            </td>
            <td className="num">{fmt(r.received.GANGGUAN)}</td>
            <td className="num">{fmt(r.received.KELUHAN)}</td>
            <td className="num">{fmt(r.openNow)}</td>
            <td className="num">{fmt(r.overSlaNow)}</td>
            <td className="num">
              {fmt(r.breached)} ({formatPercent(r.breachedPct)})
            </td>
            <td className="num">{fmt(r.respondedWithinSlaPct, 1)}</td>
            <td className="num">
              {fmt(r.respondMinutes.p50)} / {fmt(r.respondMinutes.p90)}
            </td>
            <td className="num">
              {fmt(r.resolveMinutes.p50)} / {fmt(r.resolveMinutes.p90)}
            </td>
            <td className="num">{fmt(r.jumlahLaporMelebihiSla)}</td>
            <td className="num">
              {fmt(r.rating.mean, 1)} ({fmt(r.rating.count)})
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * SLA compliance by unit (R-M2) as horizontal bars: responded within SLA, and received without an SLA
 * breach (100 − breachedPct), each in % of the unit's tickets; a unit with nothing to measure has no bar.
 */
function SlaChart({ rows }: { rows: UnitReport[] }) {
  const kept = (r: UnitReport) => (r.breachedPct === null ? null : 100 - r.breachedPct);
  const describe = (r: UnitReport) => `${r.unitCode}: tanggap dalam SLA ${pct(r.respondedWithinSlaPct)}, tanpa pelanggaran SLA ${pct(kept(r))}`;
  // HTML bars, not SVG: axe decides the contrast of HTML text (SVG text is "incomplete" to it)
  return (
    <figure className="chart">
      <div className="hbars" role="img" aria-label={`Kepatuhan SLA per unit: ${rows.map(describe).join('; ')}`}>
        {rows.map((r) => (
          <div key={r.unitCode} className="hbar-row">
            <span className="hbar-label">{r.unitCode}</span>
            <span className="hbar-pair">
              {[r.respondedWithinSlaPct, kept(r)].map((value, k) => (
                <span key={k} className="hbar-line">
                  <span className={`bar ${k === 0 ? 'received' : 'resolved'}`} style={{ width: `${(value ?? 0) * 3}px` }} />
                  <span className="hbar-value">{pct(value)}</span>
                </span>
              ))}
            </span>
          </div>
        ))}
      </div>
      <figcaption>
        Kepatuhan SLA per unit: <span className="key received" /> tanggap dalam SLA · <span className="key resolved" /> tanpa pelanggaran SLA (% tiket diterima)
      </figcaption>
    </figure>
  );
}

const pct = (n: number | null) => formatPercent(n);

/** Received and resolved per day, summed over the units shown: bars in plain SVG (no chart library). */
function DailyChart({ rows }: { rows: DailyRow[] }) {
  const byDate = new Map<string, { received: number; resolved: number; breached: number }>();
  for (const r of rows) {
    const d = byDate.get(r.date) ?? { received: 0, resolved: 0, breached: 0 };
    byDate.set(r.date, { received: d.received + r.received, resolved: d.resolved + r.resolved, breached: d.breached + r.breached });
  }
  const days = [...byDate.entries()].sort(([a], [b]) => a.localeCompare(b));
  const max = Math.max(1, ...days.map(([, d]) => Math.max(d.received, d.resolved)));
  const H = 140;
  return (
    <figure className="chart">
      <div className="vbars" role="img" aria-label={`Grafik harian: ${days.map(([date, d]) => `${formatDate(date)} diterima ${fmt(d.received)}, selesai ${fmt(d.resolved)}`).join('; ')}`}>
        {days.map(([date, d]) => (
          <span key={date} className="vbar-day">
            <span className="vbar-pair" style={{ height: H }}>
              <span className="bar received" style={{ height: (d.received / max) * H }} />
              <span className="bar resolved" style={{ height: (d.resolved / max) * H }} />
            </span>
            <span className="vbar-label">{formatDate(date, 'short')}</span>
          </span>
        ))}
      </div>
      <figcaption>
        <span className="key received" /> diterima · <span className="key resolved" /> selesai
      </figcaption>
      <table className="table" data-testid="harian">
        <caption>Angka harian</caption>
        <thead>
          <tr>
            <th scope="col">Tanggal</th>
            <th scope="col" className="num">Diterima</th>
            <th scope="col" className="num">Selesai</th>
            <th scope="col" className="num">Melanggar SLA</th>
          </tr>
        </thead>
        <tbody>
          {days.map(([date, d]) => (
            <tr key={date}>
              <td>{formatDate(date)}</td>
              <td className="num">{fmt(d.received)}</td>
              <td className="num">{fmt(d.resolved)}</td>
              <td className="num">{fmt(d.breached)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
