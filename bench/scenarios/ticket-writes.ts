import type autocannon from 'autocannon';
import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, sleep } from '../lib/context';
import { count, load, registerUnits, token } from '../lib/load';
import { settle, withService, type Service } from '../lib/service';
import { sqlCreateMany } from '../lib/sql-create';
import { sqlTicketWrites } from '../lib/sql-moves';
import { counted, enableStatements, startCounting, topStatements } from '../lib/pg-stats';
import { registerWebhook, SINK_ENV, webhookSink } from '../lib/webhook-sink';

// Scenario 14 (issue 30): a unit's status move (LAPOR → PENUGASAN / DIPROSES) and a customer's re-report
// that R-R1 appends as an update note (an open ticket within its SLA), each over HTTP at 64 connections
// against the same transaction in raw SQL at 64 connections (bench/lib/sql-moves.ts), side by side in one
// run, with a webhook endpoint wanting every event (each move and re-report writes an outbox row at
// commit, for both) and the access log on (both answers show the customer: R-P1 records them). A move
// takes each ticket once; re-reports go round a set of tickets, a few each.
const S14 = '18 Ticket writes';
const CONNECTIONS = 64;
const TARGET = 0.7;

function writes(service: Service, path: (number: string) => string, body: (i: number) => unknown, numbers: string[], tokenOf: (number: string) => string, amount: number): autocannon.Options {
  let n = 0;
  return {
    url: service.url,
    connections: CONNECTIONS,
    amount,
    requests: [
      {
        method: 'POST',
        setupRequest: (request) => {
          const i = n++;
          const number = numbers[i % numbers.length];
          return { ...request, path: path(number), headers: { authorization: `Bearer ${tokenOf(number)}`, 'content-type': 'application/json' }, body: JSON.stringify(body(i)) };
        },
      },
    ],
  };
}

export async function ticketWrites(bench: Bench): Promise<Row[]> {
  const url = await bench.server.fresh('writes');
  const statements = await enableStatements(url);
  const units = unitCodes(50);
  const sink = await webhookSink();
  const moves = scaled(bench, 15_000, 1_000);
  const reReports = scaled(bench, 15_000, 1_000);
  try {
    const m = await withService(bench, { databaseUrl: url, jobs: false, name: 'ticket writes', env: SINK_ENV }, async (service) => {
      await registerUnits(bench, service, units);
      await registerWebhook(bench, service, sink);
      bench.log(`ticket writes: seeding ${fmt(2 * moves + 2 * 2_000)} tickets`);
      const seeded = await sqlCreateMany(url, 16, 2 * moves + 2 * 2_000 + 400, units);
      const unitOf = new Map(seeded.map((t) => [t.number, t.unitCode]));
      const plain = seeded.filter((t) => !t.urgent); // R-R8: an urgent one would also queue an escalation
      const [httpMoves, sqlMoves] = [plain.slice(0, moves), plain.slice(moves, 2 * moves)].map((l) => l.map((t) => t.number));
      const [httpRe, sqlRe] = [plain.slice(2 * moves, 2 * moves + 2_000), plain.slice(2 * moves + 2_000, 2 * moves + 4_000)].map((l) => l.map((t) => t.number));
      const unitTokens = new Map(await Promise.all(units.map(async (u) => [u, await token(bench, 'unit', u)] as const)));
      const cso = await token(bench, 'cso');
      const kindOf = new Map(seeded.map((t) => [t.number, t.kind]));
      const moveOf = (number: string) => ({ status: kindOf.get(number) === 'GANGGUAN' ? 'PENUGASAN' : 'DIPROSES', note: 'Petugas ditugaskan' });

      // warm-up: a few of each on tickets of their own
      const warm = plain.slice(-400).map((t) => t.number);
      await load(writes(service, (n) => `/api/v1/tickets/${n}/status`, (i) => moveOf(warm[i % 200]), warm.slice(0, 200), (n) => unitTokens.get(unitOf.get(n)!)!, 200));
      await load(writes(service, (n) => `/api/v1/tickets/${n}/re-reports`, () => ({ note: 'Pelanggan melapor kembali' }), warm.slice(200), () => cso, 400));
      await sqlTicketWrites(url, 'reReport', 8, warm.slice(200), 200);
      await settle(service);

      bench.log(`ticket writes: ${fmt(moves)} status moves, raw SQL then HTTP`);
      const sqlMove = await sqlTicketWrites(url, 'move', CONNECTIONS, sqlMoves);
      await sleep(500);
      let since = await startCounting(url, statements);
      const httpMove = await load(writes(service, (n) => `/api/v1/tickets/${n}/status`, (i) => moveOf(httpMoves[i]), httpMoves, (n) => unitTokens.get(unitOf.get(n)!)!, moves));
      await settle(service);
      const moveWork = await counted(url, since, statements);

      bench.log(`ticket writes: ${fmt(reReports)} re-reports, raw SQL then HTTP`);
      const sqlReReport = await sqlTicketWrites(url, 'reReport', CONNECTIONS, sqlRe, reReports);
      await sleep(500);
      since = await startCounting(url, statements);
      const httpReReport = await load(writes(service, (n) => `/api/v1/tickets/${n}/re-reports`, () => ({ note: 'Pelanggan melapor kembali' }), httpRe, () => cso, reReports));
      await settle(service);
      const reReportWork = await counted(url, since, statements);
      if (statements) {
        bench.notes.push(`Scenario 14: statements per status move over HTTP (pg_stat_statements, the dispatcher's included): ${topStatements(moveWork, moves, 8)}.`);
        bench.notes.push(`Scenario 14: statements per re-report over HTTP: ${topStatements(reReportWork, reReports, 8)}.`);
      }
      return { sqlMove, httpMove, sqlReReport, httpReReport };
    });
    const rows: Row[] = [];
    for (const [what, status, sql, http] of [
      ['status moves', 200, m.sqlMove, m.httpMove],
      ['re-reports (R-R1)', 201, m.sqlReReport, m.httpReReport],
    ] as const) {
      const ok = count(http, status);
      const perSecond = ok / http.duration;
      const failed = http.non2xx + http.errors + http.timeouts;
      rows.push(
        { scenario: S14, metric: `${what}/s, HTTP vs raw SQL (${CONNECTIONS} conn. each, webhook + access log on)`, value: fmt(perSecond), baseline: `${fmt(sql.perSecond)} (raw SQL)`, ratio: ratio(perSecond, sql.perSecond), target: `≥ ${TARGET.toFixed(2)}×`, met: perSecond >= TARGET * sql.perSecond },
        { scenario: S14, metric: `${what}: latency p50 / p99`, value: `${fmt(http.latency.p50)} / ${fmt(http.latency.p99)} ms`, baseline: `${fmt(sql.p50, 1)} / ${fmt(sql.p99, 1)} ms` , ratio: ratio(http.latency.p99, sql.p99) },
        { scenario: S14, metric: `${what}: answers other than ${status}`, value: `${fmt(failed)} of ${fmt(ok + failed)}`, target: '0', met: failed === 0 },
      );
    }
    bench.notes.push(`Scenario 14: the webhook sink received ${fmt(sink.received())} deliveries in all.`);
    return rows;
  } finally {
    sink.close();
    await bench.server.drop('writes');
  }
}
