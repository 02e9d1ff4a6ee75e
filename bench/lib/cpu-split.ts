import { readdirSync, readFileSync } from 'node:fs';
import { fmt } from './context';

// Where a run's CPU went on this machine, read from /proc (Linux): the service's process, PostgreSQL's
// processes (every process named `postgres`: the bench runs one server at a time where this is used), this
// runner (the receivers and the load it drives) and the whole machine. A figure that compares the service
// with a baseline on the same cores can then say how much of the cores each part took.

/** /proc/<pid>/stat counts in USER_HZ, which Linux exports as 100 on every architecture. */
const USER_HZ = 100;
/** CPUs this machine has (the lines cpuN of /proc/stat). */
export const CPUS = readFileSync('/proc/stat', 'utf8').split('\n').filter((l) => /^cpu\d+ /.test(l)).length;

export interface CpuSample {
  service: number;
  postgres: number;
  runner: number;
  /** the machine's busy and all CPU seconds (every CPU together), from /proc/stat */
  busy: number;
  total: number;
}

interface Stat {
  name: string;
  ppid: number;
  /** utime + stime, and cutime + cstime (its exited children it waited for), in seconds */
  own: number;
  children: number;
}

function stat(pid: number | string): Stat | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return {
      name: text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
      ppid: Number(fields[1]),
      own: (Number(fields[11]) + Number(fields[12])) / USER_HZ,
      children: (Number(fields[13]) + Number(fields[14])) / USER_HZ,
    };
  } catch {
    return undefined; // gone
  }
}

/**
 * Every PostgreSQL process's CPU, and the postmasters' exited children's (backends of connections closed
 * since, reaped by their postmaster), so that a run whose clients disconnect still counts their backends.
 */
function postgresSeconds(): number {
  const all = new Map<number, Stat>();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    const s = stat(pid);
    if (s?.name === 'postgres') all.set(Number(pid), s);
  }
  let seconds = 0;
  for (const s of all.values()) seconds += s.own + (all.has(s.ppid) ? 0 : s.children);
  return seconds;
}

/** Now's CPU seconds by part; `service` the service's process (or the processes counted as it, summed). */
export function cpuSample(service: number | number[]): CpuSample {
  const [, ...ticks] = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).map(Number);
  const total = ticks.reduce((a, b) => a + b, 0);
  const idle = ticks[3] + (ticks[4] ?? 0); // idle and iowait
  const runner = process.cpuUsage();
  return {
    service: (Array.isArray(service) ? service : [service]).reduce((sum, pid) => sum + (stat(pid)?.own ?? 0), 0),
    postgres: postgresSeconds(),
    runner: (runner.user + runner.system) / 1e6,
    busy: (total - idle) / USER_HZ,
    total: total / USER_HZ,
  };
}

export interface CpuPer {
  service: number;
  postgres: number;
  runner: number;
  /** how many of the machine's cores were busy on average */
  busyCores: number;
}

/** CPU milliseconds of each part between two samples, per unit of work (`n` creates, deliveries, …). */
export function cpuPer(before: CpuSample, after: CpuSample, n: number): CpuPer {
  const per = (k: 'service' | 'postgres' | 'runner') => ((after[k] - before[k]) * 1000) / n;
  const wallSeconds = (after.total - before.total) / CPUS;
  return { service: per('service'), postgres: per('postgres'), runner: per('runner'), busyCores: wallSeconds > 0 ? (after.busy - before.busy) / wallSeconds : 0 };
}

/** The mean of several runs' splits. */
export function meanCpu(runs: readonly CpuPer[]): CpuPer {
  const mean = (k: keyof CpuPer) => runs.reduce((sum, c) => sum + c[k], 0) / Math.max(1, runs.length);
  return { service: mean('service'), postgres: mean('postgres'), runner: mean('runner'), busyCores: mean('busyCores') };
}

/** One run's split as a table cell: `<service> a, PostgreSQL b, <runner> c ms; machine busy d of N cores`. */
export function describeCpu(c: CpuPer, service: string, runner: string): string {
  return `${service} ${fmt(c.service, 3)}, PostgreSQL ${fmt(c.postgres, 3)}, ${runner} ${fmt(c.runner, 3)} ms; machine busy ${fmt(c.busyCores, 2)} of ${CPUS} cores`;
}
