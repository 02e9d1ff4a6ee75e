import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signToken } from '../src/auth/jwt';
import { freePort } from '../src/database/embedded';
import { TEST_SECRET } from './support/app';
import { freshDatabase, withClient } from './support/database';
import { gangguan } from './support/fixtures';

// The production build, as `npm run build` makes it and the black-box tests start it.
const root = join(__dirname, '..');
// one level below the root, like dist/: node_modules resolve from here, and prisma/migrations at ../prisma
const out = join(root, `.build-test-${process.pid}`);
let compiled: Error | null = null;

beforeAll(async () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  compiled = await promisify(execFile)(process.execPath, [tsc, '-p', 'tsconfig.build.json', '--outDir', out], { cwd: root }).then(
    () => null,
    (error: Error) => error,
  );
}, 120_000);
afterAll(() => rm(out, { recursive: true, force: true }));

// `npm start` builds with tsconfig.build.json; a file that compiles under Jest but not there (a unit
// test beside the code, a type only Jest provides) once broke start-up on a fresh clone.
it('the production build compiles', () => {
  expect(compiled).toBeNull();
});

/** The built service on a fresh database, as the black-box tests start it; its log lines collected. */
async function startBuilt(env: Record<string, string> = {}) {
  expect(compiled).toBeNull();
  const databaseUrl = await freshDatabase();
  const port = await freePort();
  const child = spawn(process.execPath, [join(out, 'main.js')], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: databaseUrl, PORT: String(port), AUTH_JWT_SECRET: TEST_SECRET, MIGRATE_ON_START: 'false', LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const call = async (method: string, path: string, role: 'admin' | 'cso', body: unknown) => {
    const token = await signToken(TEST_SECRET, { sub: `build-${role}`, role });
    const answer = await fetch(url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    return answer.status;
  };
  try {
    await waitReady(url, child);
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }
  /** Lines above info (pino levels: 40 warn, 50 error, 60 fatal) or not JSON at all. */
  const problems = (allowWarnings = false) => lines.filter((line) => !(allowWarnings ? /"level":(10|20|30|40)\b/ : /"level":(10|20|30)\b/).test(line));
  return { child, exited, call, databaseUrl, problems, kill: () => child.exitCode === null && child.kill('SIGKILL') };
}

// Docker, systemd and Ctrl-C stop the service with a signal. Nest's own signal hooks once closed the
// pool under requests still draining and logged "Called end on pool more than once".
it('stops on SIGTERM: every request in flight answered, exit code 0, no error logged', async () => {
  const service = await startBuilt({ JOBS_INTERVAL_MS: '200' });
  try {
    expect(await service.call('PUT', '/api/v1/units/542', 'admin', { name: 'Unit 542' })).toBe(200);
    const inFlight = Array.from({ length: 200 }, () => service.call('POST', '/api/v1/tickets', 'cso', gangguan()).catch(() => 'refused'));
    await Promise.race(inFlight);
    service.child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight);
    expect(await service.exited).toBe(0);
    expect(statuses.filter((s) => s !== 201 && s !== 'refused' && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    expect(service.problems()).toEqual([]);
  } finally {
    service.kill();
  }
}, 60_000);

// A PostgreSQL restart or failover drops every connection, idle ones included; node-postgres then emits
// 'error' on the pool, which ends the process unless someone listens (PrismaService does, always), and
// the next queries must get new connections.
it('survives the database dropping its connections, and answers again', async () => {
  const service = await startBuilt({ JOBS_ENABLED: 'false' });
  try {
    await withClient(service.databaseUrl, (c) => c.query(`INSERT INTO units (code, name, time_zone, created_at, updated_at) VALUES ('542', 'Unit 542', 'Asia/Jakarta', now(), now())`));
    expect(await service.call('POST', '/api/v1/tickets', 'cso', gangguan())).toBe(201);
    const database = new URL(service.databaseUrl).pathname.slice(1);
    const dropped = await withClient(service.databaseUrl, (c) =>
      c.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [database]),
    );
    expect(dropped.rowCount).toBeGreaterThan(0);
    await new Promise((r) => setTimeout(r, 300));
    expect(service.child.exitCode).toBeNull();
    expect(await service.call('POST', '/api/v1/tickets', 'cso', gangguan())).toBe(201);
    service.child.kill('SIGTERM');
    expect(await service.exited).toBe(0);
    expect(service.problems(true)).toEqual([]);
  } finally {
    service.kill();
  }
}, 60_000);
// README: `npm start` without DATABASE_URL runs on an embedded PostgreSQL, and Ctrl-C stops both. The
// embedded server stops on the same signal by itself, under the pool's idle connections: once that
// crashed the service ("Unhandled 'error' event" on the pool) after Prisma had stopped listening.
it('development mode: Ctrl-C stops the service and its embedded PostgreSQL cleanly', async () => {
  expect(compiled).toBeNull();
  const dataDir = await mkdtemp(join(tmpdir(), 'apkt-dev-'));
  await chmod(dataDir, 0o755); // PostgreSQL runs as `postgres`
  const port = await freePort();
  const env: Record<string, string | undefined> = { ...process.env, PORT: String(port), APKT_DATA_DIR: dataDir, LOG_LEVEL: 'info' };
  delete env.DATABASE_URL;
  delete env.AUTH_JWT_SECRET;
  const child = spawn(process.execPath, [join(out, 'main.js')], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    const url = `http://127.0.0.1:${port}`;
    await waitReady(url, child, 90_000);
    const secret = (await readFile(join(dataDir, 'dev-jwt-secret'), 'utf8')).trim();
    const token = await signToken(secret, { sub: 'dev-cso', role: 'cso' });
    const create = await fetch(`${url}/api/v1/tickets`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify(gangguan()) });
    expect(create.status).toBe(201); // the dev unit 542 is registered
    expect((await fetch(`${url}/api/v1/tickets?open=true`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    const text = output.join('');
    expect(text).not.toMatch(/Unhandled|"level":(50|60)/);
    expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toContain(dataDir); // no postgres left behind
  } finally {
    if (child.exitCode === null) child.kill('SIGKILL');
    await rm(dataDir, { recursive: true, force: true });
  }
}, 120_000);

async function waitReady(url: string, child: ChildProcess, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    if (await fetch(`${url}/health/ready`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the service did not become ready');
}
