import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import type { Bench, Note, Row } from './lib/context';
import { openServer, type Server } from './lib/database';
import { stopAllLoad } from './lib/load';
import { commitOf, table, writeReport } from './lib/report';
import { stopAllServices } from './lib/service';
import { createBurst } from './scenarios/create-burst';
import { dashboardPolling } from './scenarios/dashboard';
import { customerLookup } from './scenarios/lookup';
import { reports } from './scenarios/reports';
import { massOutage } from './scenarios/outage';
import { operatorConsole } from './scenarios/console';
import { changeFeed } from './scenarios/feed';
import { singleUnitBurst } from './scenarios/single-unit';
import { sweep } from './scenarios/sweep';
import { timeliness } from './scenarios/timeliness';
import { tracingCost } from './scenarios/tracing-cost';
import { replicaReports } from './scenarios/replica-reports';
import { providerTokens } from './scenarios/provider-tokens';
import { overload } from './scenarios/overload';
import { ticketWrites } from './scenarios/ticket-writes';
import { uidReport } from './scenarios/uid-report';
import { replicaCreates } from './scenarios/replica-creates';
import { webhooks } from './scenarios/webhooks';
import { retention } from './scenarios/retention';

// `npm run bench` (issue #8): builds, then runs each scenario against the built service on a fresh
// database, with its baseline in the same run, and writes its rows into BENCHMARKS.md (replacing only the
// rows of the scenarios it ran: bench/lib/report.ts).
const SCENARIOS: [string, string, (bench: Bench) => Promise<Row[]>][] = [
  ['1', '1 Create burst', createBurst],
  ['2', '2 Single-unit burst', singleUnitBurst],
  ['3', '3 Dashboard polling', dashboardPolling],
  ['4', '4 Sweep', sweep],
  ['5', '5 Timeliness', timeliness],
  ['6', '6 Customer lookup', customerLookup],
  ['7', '7 Reports', reports],
  ['8', '8 Mass outage', massOutage],
  ['9', '9 Change feed', changeFeed],
  ['10', '10 Console', operatorConsole],
  ['11', '11 Tracing cost', tracingCost],
  ['12', '12 Replica reports', replicaReports],
  ['13', '13 Provider tokens', providerTokens],
  ['14', '14 Overload', overload],
  ['15', '15 Replica creates', replicaCreates],
  ['16', '16 Webhooks', webhooks],
  ['17', '17 Retention', retention],
  ['18', '18 Ticket writes', ticketWrites],
  ['19', '19 UID report', uidReport],
];

const root = join(__dirname, '..', '..');
const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

let server: Server | undefined;
let cleaning: Promise<void> | undefined;
const cleanUp = () =>
  (cleaning ??= (async () => {
    stopAllLoad();
    await stopAllServices();
    await server?.stop();
  })());

async function main(): Promise<void> {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  if (!(scale > 0 && scale <= 10)) throw new Error(`BENCH_SCALE must be a number in (0, 10], got "${process.env.BENCH_SCALE}"`);
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim());
  const started = Date.now();
  const commit = commitOf(root);
  server = await openServer(root, process.env.DATABASE_URL || undefined, log);
  const bench: Bench = { root, scale, server, secret: randomBytes(32).toString('hex'), results: {}, notes: [], log };
  const rows: Row[] = [];
  const notes: Note[] = [];
  const ran: string[] = [];
  for (const [id, name, run] of SCENARIOS) {
    if (only && !only.includes(id)) continue;
    ran.push(id);
    const t = Date.now();
    const noted = bench.notes.length;
    log(`${name}: starting`);
    try {
      rows.push(...(await run(bench)));
    } catch (error) {
      log(`${name} failed: ${(error as Error).stack}`);
      rows.push({ scenario: name, metric: 'failed', value: (error as Error).message.slice(0, 200), met: false });
    }
    log(`${name}: done in ${((Date.now() - t) / 1000).toFixed(1)} s`);
    notes.push(...bench.notes.slice(noted).map((text) => ({ scenario: id, text: text.replace(/^Scenario \d+:\s*/, '') })));
  }
  const header = { commit, date: new Date().toISOString(), scale, postgres: server.version, embedded: server.embedded, minutes: (Date.now() - started) / 60_000, scenarios: ran };
  await cleanUp();
  await writeReport(root, header, rows, notes);
  process.stdout.write(`\n${table(rows)}\n\n${notes.map((n) => `- ${n.scenario}: ${n.text}\n`).join('')}Written to BENCHMARKS.md (commit ${commit}, BENCH_SCALE=${scale}, ${header.minutes.toFixed(1)} min).\n`);
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    log(`${signal}: stopping the services and the database`);
    void cleanUp().finally(() => process.exit(130));
  });
}

main().catch(async (error: Error) => {
  log(`failed: ${error.stack}`);
  await cleanUp().catch(() => undefined);
  process.exit(1);
});
