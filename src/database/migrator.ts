import { createHash, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';

// Applies prisma/migrations/<id>/migration.sql in order and records each in Prisma's own
// `_prisma_migrations` table (same columns, sha256 checksum), so `prisma migrate deploy/status`
// agree where the real engine exists. An advisory lock makes replicas that start together safe:
// the second waits, then finds nothing pending.
const MIGRATION_LOCK_ID = 72707369; // arbitrary, fixed: identifies "schema migration" among advisory locks

export const MIGRATIONS_DIR = join(__dirname, '..', '..', 'prisma', 'migrations');

export interface MigrationResult {
  applied: string[];
}

export async function listMigrations(dir = MIGRATIONS_DIR): Promise<{ name: string; sql: string }[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  return Promise.all(names.map(async (name) => ({ name, sql: await readFile(join(dir, name, 'migration.sql'), 'utf8') })));
}

interface Recorded {
  checksum: string;
  finished_at: Date | null;
}

/** The migrations `_prisma_migrations` records (not rolled back), by name. */
async function recorded(client: Client): Promise<Map<string, Recorded>> {
  const { rows } = await client.query<Recorded & { migration_name: string }>('SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" WHERE rolled_back_at IS NULL');
  return new Map(rows.map((r) => [r.migration_name, r]));
}

/**
 * The migrations of `dir` the database has not recorded as applied (none applied: every one), without
 * writing anything: what a replica started with MIGRATE_ON_START=false checks before it serves.
 */
export async function pendingMigrations(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<string[]> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const table = await client.query<{ t: string | null }>(`SELECT to_regclass('"_prisma_migrations"')::text AS t`);
    const done = table.rows[0].t ? await recorded(client) : new Map<string, Recorded>();
    return (await listMigrations(dir)).map((m) => m.name).filter((name) => !done.get(name)?.finished_at);
  } finally {
    await client.end();
  }
}

export async function migrate(databaseUrl: string, dir = MIGRATIONS_DIR): Promise<MigrationResult> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`);
    const done = await recorded(client);
    const applied: string[] = [];
    for (const { name, sql } of await listMigrations(dir)) {
      const checksum = createHash('sha256').update(sql).digest('hex');
      const row = done.get(name);
      if (row) {
        if (!row.finished_at) throw new Error(`migration ${name} failed earlier and needs attention`);
        if (row.checksum !== checksum) throw new Error(`migration ${name} was modified after it was applied`);
        continue;
      }
      await client.query('BEGIN');
      try {
        await client.query(sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, now(), 1)`,
          [randomUUID(), checksum, name],
        );
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw new Error(`migration ${name} failed: ${(error as Error).message}`);
      }
      applied.push(name);
    }
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
