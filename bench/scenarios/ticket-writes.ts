import type autocannon from 'autocannon';
import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled, sleep } from '../lib/context';
import { load, registerUnits, token } from '../lib/load';
import { settle, withService, type Service } from '../lib/service';
import { sqlCreateMany } from '../lib/sql-create';
import { sqlTicketWrites } from '../lib/sql-moves';
import { httpRun, pooled, rate, type Round, roundRatios } from '../lib/rounds';
import { addWork, counted, type DatabaseWork, enableStatements, startCounting, topStatements } from '../lib/pg-stats';
import { drained, registerWebhook, SINK_ENV, whileDispatcherWoken, webhookSink } from '../lib/webhook-sink';

// Scenario 18 (issue 30): a unit's status move (LAPOR → PENUGASAN / DIPROSES) and a customer's re-report
// that R-R1 appends as an update note (an open ticket within its SLA), each over HTTP at 64 connections
// against the same transaction in raw SQL at 64 connections (bench/lib/sql-moves.ts), in three alternating
// rounds of one run, with a webhook endpoint wanting every event (each move and re-report writes an outbox row at
// commit, for both) and the access log on (both answers show the customer: R-P1 records them). A move
// takes each ticket once; re-reports go round a set of tickets, a few each.
const S18 = '18 Ticket writes';
const CONNECTIONS = 64;
const TARGET = 0.7;
const ROUNDS = 3;

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
      await drained(url); // the seed's messages
      await settle(service);

      // Raw SQL and HTTP alternate in ROUNDS rounds over their own tickets, and each run starts from an
      // empty outbox: a slower or faster minute of this shared machine falls on both sides alike. Each run's
      // messages are delivered beside it (a raw run's, the dispatcher woken every 25 ms as the service wakes
      // it after its own writes), and what is left is delivered between the runs.
      const backlogs = { move: [] as number[], reReport: [] as number[] };
      const rounds = async (kind: 'move' | 'reReport', sqlNumbers: string[], httpNumbers: string[], amount: number) => {
        const status = kind === 'move' ? 200 : 201;
        const sql: Round[] = [];
        const http: Round[] = [];
        const work: DatabaseWork[] = [];
        let failed = 0;
        const each = Math.ceil(amount / ROUNDS);
        for (let r = 0; r < ROUNDS; r++) {
          const n = Math.min(each, amount - r * each);
          const slice = (list: string[]) => (kind === 'move' ? list.slice(r * each, r * each + n) : list);
          // the raw run's messages are delivered beside it, the dispatcher woken as the service wakes it
          const sqlRun = await whileDispatcherWoken(url, () => sqlTicketWrites(url, kind, CONNECTIONS, slice(sqlNumbers), n));
          const sqlDrain = await drained(url);
          backlogs[kind].push(sqlDrain.waiting);
          sql.push({ ...sqlRun, drainSeconds: sqlDrain.seconds });
          await sleep(500);
          const since = await startCounting(url, statements);
          const mine = slice(httpNumbers);
          const result = await load(
            kind === 'move'
              ? writes(service, (t) => `/api/v1/tickets/${t}/status`, (i) => moveOf(mine[i]), mine, (t) => unitTokens.get(unitOf.get(t)!)!, n)
              : writes(service, (t) => `/api/v1/tickets/${t}/re-reports`, () => ({ note: 'Pelanggan melapor kembali' }), mine, () => cso, n),
          );
          const httpRound = httpRun(result, status);
          failed += result.non2xx + result.errors + result.timeouts;
          await settle(service);
          bench.log(`ticket writes: ${kind} round ${r + 1}: raw ${fmt(rate(sqlRun))}/s, HTTP ${fmt(rate(httpRound))}/s`);
          work.push(await counted(url, since, statements));
          http.push({ ...httpRound, drainSeconds: (await drained(url)).seconds });
        }
        return { sql, http, failed, work: addWork(work) };
      };
      bench.log(`ticket writes: ${fmt(moves)} status moves, raw SQL and HTTP in ${ROUNDS} alternating rounds`);
      const moveRuns = await rounds('move', sqlMoves, httpMoves, moves);
      bench.log(`ticket writes: ${fmt(reReports)} re-reports, raw SQL and HTTP in ${ROUNDS} alternating rounds`);
      const reReportRuns = await rounds('reReport', sqlRe, httpRe, reReports);
      if (statements) {
        bench.notes.push(`Scenario 18: statements per status move over HTTP (pg_stat_statements, the dispatcher's included): ${topStatements(moveRuns.work, moves, 8)}.`);
        bench.notes.push(`Scenario 18: statements per re-report over HTTP: ${topStatements(reReportRuns.work, reReports, 8)}.`);
      }
      bench.notes.push(
        `Scenario 18: each raw-SQL run writes the same outbox rows as its HTTP run, and the service's dispatcher delivers them beside it, woken every 25 ms (a raw run's writes wake no dispatcher; the service wakes its own after each of its writes); what still waited when a raw run ended ` +
          `(${backlogs.move.map((n) => fmt(n)).join(', ')} after the rounds of moves, ${backlogs.reReport.map((n) => fmt(n)).join(', ')} after those of re-reports) was delivered before its HTTP run started, so each HTTP run delivers its own messages only.`,
      );
      return { move: moveRuns, reReport: reReportRuns };
    });
    const rows: Row[] = [];
    for (const [what, status, runs] of [
      ['status moves', 200, m.move],
      ['re-reports (R-R1)', 201, m.reReport],
    ] as const) {
      const http = pooled(runs.http);
      const sql = pooled(runs.sql);
      rows.push(
        { scenario: S18, metric: `${what}/s, HTTP vs raw SQL (${CONNECTIONS} conn. each, webhook + access log on; ${ROUNDS} alternating rounds: ${roundRatios(runs.http, runs.sql)})`, value: fmt(http.perSecond), baseline: `${fmt(sql.perSecond)} (raw SQL)`, ratio: ratio(http.perSecond, sql.perSecond), target: `≥ ${TARGET.toFixed(2)}×`, met: http.perSecond >= TARGET * sql.perSecond },
        {
          scenario: S18,
          metric: `${what}/s until every webhook is delivered (each run and the delivery of its backlog, the dispatcher woken when the run ends; informational)`,
          value: fmt(http.untilDelivered),
          baseline: `${fmt(sql.untilDelivered)} (raw SQL)`,
          ratio: ratio(http.untilDelivered, sql.untilDelivered),
        },
        { scenario: S18, metric: `${what}: latency p50 / p99 (median p50, highest p99 of the rounds)`, value: `${fmt(http.p50)} / ${fmt(http.p99)} ms`, baseline: `${fmt(sql.p50, 1)} / ${fmt(sql.p99, 1)} ms`, ratio: ratio(http.p99, sql.p99) },
        { scenario: S18, metric: `${what}: answers other than ${status}`, value: `${fmt(runs.failed)} of ${fmt(http.done + runs.failed)}`, target: '0', met: runs.failed === 0 },
      );
    }
    bench.notes.push(`Scenario 18: the webhook sink received ${fmt(sink.received())} deliveries in all.`);
    return rows;
  } finally {
    sink.close();
    await bench.server.drop('writes');
  }
}
