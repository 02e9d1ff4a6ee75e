import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { signToken } from '../src/auth/jwt';
import { freePort } from '../src/database/embedded';
import { TEST_SECRET } from './support/app';
import { emptyDatabase, freshDatabase, withClient } from './support/database';
import { gangguan } from './support/fixtures';

// The production build, as `npm run build` makes it and the black-box tests start it.
const root = join(__dirname, '..');
// one level below the root, like dist/: node_modules resolve from here, and prisma/migrations at ../prisma
const out = join(root, `.build-test-${process.pid}`);
let compiled: Error | null = null;
let checked: Error | null = null;

beforeAll(async () => {
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const run = (args: string[]) => promisify(execFile)(process.execPath, [tsc, ...args], { cwd: root }).then(() => null, (error: Error) => error);
  [compiled, checked] = await Promise.all([run(['-p', 'tsconfig.build.json', '--outDir', out]), run(['--noEmit', '-p', 'tsconfig.json'])]);
}, 180_000);
afterAll(() => rm(out, { recursive: true, force: true }));

// `npm start` builds with tsconfig.build.json; a file that compiles under Jest but not there (a unit
// test beside the code, a type only Jest provides) once broke start-up on a fresh clone.
it('the production build compiles', () => {
  expect(compiled).toBeNull();
});

// Jest compiles the tests without checking their types (diagnostics off, for speed), and the bench
// is compiled only when someone runs it: a type error there went unseen for several commits.
it('the sources, the tests and the bench type-check', () => {
  expect(checked && String((checked as Error & { stdout?: string }).stdout ?? checked)).toBeNull();
});

/**
 * The built service as a child process, its log lines collected. `env` is laid over this process's
 * environment; an undefined value removes the variable.
 */
async function spawnBuilt(env: Record<string, string | undefined>, options: { detached?: boolean; ports?: number } = {}) {
  expect(compiled).toBeNull();
  const port = await freePort(options.ports); // `ports`: the development mode's provider listens on PORT + 1
  const childEnv: Record<string, string | undefined> = { ...process.env, PORT: String(port), LOG_LEVEL: 'info', ...env };
  for (const name of Object.keys(childEnv)) if (childEnv[name] === undefined) delete childEnv[name];
  // detached: a process group of its own, so a test can signal it as a terminal's Ctrl-C does (every process of the group)
  const child = spawn(process.execPath, [join(out, 'main.js')], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: options.detached });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, lines, exited, port };
}

/** spawnBuilt, once the service is ready; with a caller and a filter of the log lines above info. */
async function startBuilt(env: Record<string, string | undefined>, readyMs = 30_000, options: { detached?: boolean; ports?: number } = {}) {
  const { child, lines, exited, port } = await spawnBuilt(env, options);
  const url = `http://127.0.0.1:${port}`;
  /** The status of a call as `role`, with a token signed by `secret`. */
  const call = async (method: string, path: string, role: 'admin' | 'cso', body?: unknown, secret = TEST_SECRET) => {
    const token = await signToken(secret, { sub: `build-${role}`, role });
    const headers = { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) };
    return (await fetch(url + path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) })).status;
  };
  try {
    await waitReady(url, child, readyMs);
  } catch (error) {
    child.kill('SIGKILL');
    await Promise.race([new Promise((r) => child.once('close', r)), new Promise((r) => setTimeout(r, 2000))]); // its output read to the end
    // what the service said before it exited or stalled: the only evidence a CI failure leaves
    throw new Error(`${(error as Error).message}; its last log lines:\n${lines.slice(-20).join('\n')}`);
  }
  /** Lines above info (pino levels: 40 warn, 50 error, 60 fatal) or not JSON at all. */
  const problems = (allowWarnings = false) => lines.filter((line) => !(allowWarnings ? /"level":(10|20|30|40)\b/ : /"level":(10|20|30)\b/).test(line));
  return { child, exited, call, lines, problems, url, port, kill: () => child.exitCode === null && child.kill('SIGKILL') };
}

/** The built service on a fresh database, as the black-box tests start it. */
async function startOnDatabase(env: Record<string, string> = {}) {
  const databaseUrl = await freshDatabase();
  return { databaseUrl, ...(await startBuilt({ DATABASE_URL: databaseUrl, AUTH_JWT_SECRET: TEST_SECRET, MIGRATE_ON_START: 'false', ...env })) };
}

// README: `npm run -s token -- --role cso` mints a development token; --help says how.
it('the token command prints its usage with --help, and mints an HS256 token with the secret', () => {
  expect(compiled).toBeNull();
  const token = join(out, 'cli', 'token.js');
  expect(execFileSync(process.execPath, [token, '--help'], { cwd: root }).toString()).toMatch(/--role +one of cso, mobile, unit/);
  const jwt = execFileSync(process.execPath, [token, '--role', 'unit', '--unit', '542'], { cwd: root, env: { ...process.env, AUTH_JWT_SECRET: TEST_SECRET } }).toString().trim();
  expect(JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString())).toMatchObject({ role: 'unit', unit: '542', sub: 'dev-unit-542' });
});

/** Runs the built service until it exits (it must: a refusal); its exit code and what it wrote. */
async function refusedStart(env: Record<string, string | undefined>): Promise<{ code: number | null; output: string }> {
  const { child, lines, exited } = await spawnBuilt(env);
  const code = await Promise.race([exited, new Promise<'running'>((resolve) => setTimeout(() => resolve('running'), 30_000))]);
  if (code === 'running') {
    child.kill('SIGKILL');
    throw new Error(`the service started instead of refusing:\n${lines.slice(-20).join('\n')}`);
  }
  await Promise.race([new Promise((r) => child.once('close', r)), new Promise((r) => setTimeout(r, 2000))]); // its output read to the end
  return { code, output: lines.join('\n') };
}

// API.md "Configuration": a setting the service cannot work with stops the start, naming it, rather than a
// service that starts half-broken (an outside audit: readiness 200 and 500s on every call, or jobs run
// back to back).
it.each([
  ['MIGRATE_ON_START=false on a database never migrated', async () => ({ DATABASE_URL: await emptyDatabase(), MIGRATE_ON_START: 'false' }), /MIGRATE_ON_START=false and the database lacks \d+ of this version's migrations/],
  ['JOBS_INTERVAL_MS past a timer’s range', async () => ({ DATABASE_URL: await freshDatabase(), MIGRATE_ON_START: 'false', JOBS_INTERVAL_MS: '3000000000' }), /JOBS_INTERVAL_MS must be a whole number from 10 to 2147483647/],
  ['a DATABASE_REPLICA_URLS entry that is no connection string', async () => ({ DATABASE_URL: await freshDatabase(), MIGRATE_ON_START: 'false', DATABASE_REPLICA_URLS: 'not a url' }), /DATABASE_REPLICA_URLS must be a postgres/],
])('refuses to start: %s, with a message naming it (exit 1)', async (_, env, message) => {
  const { code, output } = await refusedStart({ AUTH_JWT_SECRET: TEST_SECRET, ...(await env()) });
  expect(code).toBe(1);
  expect(output).toMatch(/start-up failed: /);
  expect(output).toMatch(message);
}, 60_000);

// Docker, systemd and Ctrl-C stop the service with a signal. Nest's own signal hooks once closed the
// pool under requests still draining and logged "Called end on pool more than once".
it('stops on SIGTERM: every request in flight answered, exit code 0, no error logged', async () => {
  const service = await startOnDatabase({ JOBS_INTERVAL_MS: '200' });
  try {
    expect(await service.call('PUT', '/api/v1/units/542', 'admin', { name: 'Unit 542' })).toBe(200);
    const inFlight = Array.from({ length: 200 }, () => service.call('POST', '/api/v1/tickets', 'cso', gangguan()).catch(() => 'refused'));
    await Promise.race(inFlight);
    service.child.kill('SIGTERM');
    const statuses = await Promise.all(inFlight);
    expect(await service.exited).toBe(0);
    expect(statuses.filter((s) => s !== 201 && s !== 'refused' && s !== 503)).toEqual([]);
    expect(statuses.filter((s) => s === 201).length).toBeGreaterThan(0);
    // 200 creates at once may outwait the pool, or a new connection's time-out, on a slow machine: a 503
    // (allowed above) and its warning, and the jobs' and dispatcher's errors for the same wait; what must
    // not appear is anything else (the shutdown's own faults, e.g. "Called end on pool more than once")
    const overloaded = /timeout exceeded when trying to connect|terminated due to connection timeout/;
    expect(service.problems().filter((line) => !overloaded.test(line))).toEqual([]);
  } finally {
    service.kill();
  }
}, 60_000);

// A PostgreSQL restart or failover drops every connection, idle ones included; node-postgres then emits
// 'error' on the pool, which ends the process unless someone listens (PrismaService does, always), and
// the next queries must get new connections.
it('survives the database dropping its connections, and answers again', async () => {
  const service = await startOnDatabase({ JOBS_ENABLED: 'false' });
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
  const dataDir = await mkdtemp(join(tmpdir(), 'apkt-dev-'));
  await chmod(dataDir, 0o755); // PostgreSQL runs as `postgres`
  try {
    const service = await startBuilt({ DATABASE_URL: undefined, AUTH_JWT_SECRET: undefined, MIGRATE_ON_START: undefined, APKT_DATA_DIR: dataDir }, 90_000, { detached: true, ports: 2 });
    try {
      const secret = (await readFile(join(dataDir, 'dev-jwt-secret'), 'utf8')).trim();
      expect(service.lines.find((line) => line.includes('AUTH_JWT_SECRET'))).toContain(secret); // API.md: "prints a generated one"
      expect(await service.call('POST', '/api/v1/tickets', 'cso', gangguan(), secret)).toBe(201); // the dev unit 542 is registered
      expect(await service.call('GET', '/api/v1/tickets?open=true', 'cso', undefined, secret)).toBe(200);
      // R-U6: the embedded provider answers on the next port, with the console registered at it
      const issuer = /through the embedded OpenID Connect provider (http:\S+)/.exec(service.lines.join('\n'))?.[1] ?? '';
      expect(issuer).toMatch(/^http:\/\/localhost:\d+$/);
      const local = issuer.replace('localhost', '127.0.0.1');
      const discovery = await (await fetch(`${local}/.well-known/openid-configuration`)).json();
      expect(discovery).toMatchObject({ issuer, code_challenge_methods_supported: expect.arrayContaining(['S256']) });
      const consoleConfig = await (await fetch(`${service.url}/console/config.json`)).json();
      expect(consoleConfig).toEqual({ issuer, clientId: 'apkt-console', scope: 'openid profile', rolesClaim: 'role', unitClaim: 'unit' });
      // the banner lists one demo person per role with a password, units included, and no token links,
      // and names the folder they are kept in (APKT_DATA_DIR's, not the default .data)
      expect(service.lines).toContainEqual(expect.stringContaining(`demo people (kept in ${join(dataDir, 'identity')}):`));
      const state = JSON.parse(await readFile(join(dataDir, 'identity', 'dev-identity.json'), 'utf8'));
      for (const person of state.people) expect(service.lines.some((line) => line.includes(person.username) && line.includes(person.password))).toBe(true);
      expect(new Set(state.people.flatMap((p: { roles: string[] }) => p.roles))).toEqual(new Set(['cso', 'mobile', 'unit', 'backoffice', 'admin']));
      expect(service.lines.join('\n')).not.toMatch(/#token=|eyJhbGciOi/);
      // a system signs in with client credentials and gets a JWT for the service's audience with its role
      const system = state.systems.find((s: { role: string }) => s.role === 'listriqu');
      const granted = await fetch(`${local}/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: `Basic ${Buffer.from(`${system.clientId}:${system.clientSecret}`).toString('base64')}` },
        body: 'grant_type=client_credentials',
      });
      const { access_token: accessToken } = (await granted.json()) as { access_token: string };
      const claims = JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString());
      expect(claims).toMatchObject({ iss: issuer, aud: 'urn:apkt:api', role: 'listriqu', sub: system.clientId });
      expect(JSON.parse(Buffer.from(accessToken.split('.')[0], 'base64url').toString())).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
      // issue 24: a quiet start — the banner after a few lines (no module or route mappings at info)
      const banner = service.lines.findIndex((line) => line.startsWith('APKT service'));
      const logged = (lines: string[]) => lines.filter((line) => line.startsWith('{'));
      expect(logged(service.lines.slice(0, banner)).length).toBeLessThanOrEqual(4);
      expect(service.lines.filter((line) => /"context":"(RouterExplorer|RoutesResolver|InstanceLoader)"/.test(line))).toEqual([]);
      // Ctrl-C reaches the whole process group, the embedded PostgreSQL included: one line says it stopped
      const beforeStop = service.lines.length;
      process.kill(-service.child.pid!, 'SIGINT');
      expect(await service.exited).toBe(0);
      const afterStop = logged(service.lines.slice(beforeStop)).filter((line) => !line.includes('"msg":"request completed"')); // the calls above, logged late
      expect(afterStop).toEqual([expect.stringMatching(/"level":30,.*"msg":"stopped: /)]);
      expect(service.lines.join('\n')).not.toMatch(/Unhandled|"level":(40|50|60)/);
      expect(execFileSync('ps', ['-eo', 'args']).toString()).not.toContain(dataDir); // no postgres left behind
    } finally {
      service.kill();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}, 120_000);

// R-U6: outside the development mode the embedded provider never starts, even with OIDC_ISSUER unset.
it('with DATABASE_URL given, no embedded provider starts and the console names no issuer', async () => {
  const service = await startOnDatabase({ OIDC_ISSUER: '', OIDC_AUDIENCE: '' });
  try {
    expect(await (await fetch(`${service.url}/console/config.json`)).json()).toMatchObject({ issuer: null });
    expect(await fetch(`http://127.0.0.1:${service.port + 1}/.well-known/openid-configuration`).then((r) => r.status, () => 'refused')).toBe('refused');
    expect(service.lines.join('\n')).not.toMatch(/embedded OpenID Connect provider|demo people/);
  } finally {
    service.kill();
  }
}, 60_000);

// Issue 30: the service at rest was resident in 214-257 MiB, 40-60 of them Prisma's query compiler
// (TurboFan's compile zones kept by malloc, its WebAssembly built for speed) and modules never used
// (nodemailer without SMTP_URL). 156-162 MiB since; the bound leaves room for another machine's libc.
it('at rest after its first requests, the production service is resident in under 200 MiB (issue 30)', async () => {
  const service = await startOnDatabase({ JOBS_ENABLED: 'false', LOG_LEVEL: 'warn' });
  try {
    expect(await service.call('PUT', '/api/v1/units/542', 'admin', { name: 'Unit 542' })).toBe(200);
    for (let i = 0; i < 20; i++) expect(await service.call('POST', '/api/v1/tickets', 'cso', gangguan())).toBe(201);
    expect(await service.call('GET', '/api/v1/tickets', 'cso')).toBe(200);
    await new Promise((r) => setTimeout(r, 1000));
    const status = await readFile(`/proc/${service.child.pid}/status`, 'utf8');
    const residentMiB = Number(/^VmRSS:\s+(\d+) kB/m.exec(status)?.[1]) / 1024;
    expect(residentMiB).toBeGreaterThan(0);
    expect(residentMiB).toBeLessThan(200);
  } finally {
    service.kill();
  }
}, 60_000);

async function waitReady(url: string, child: ChildProcess, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}`);
    if (await fetch(`${url}/health/ready`).then((r) => r.ok, () => false)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error('the service did not become ready');
}
