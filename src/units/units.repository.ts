import { Injectable } from '@nestjs/common';
import { Client, type Pool } from 'pg';
import type { Tx } from '../database/prisma.service';
import { Prisma, type Unit } from '../generated/prisma/client';
import type { UnitLevel } from '../generated/prisma/enums';
import type { TreeUnit } from './unit-tree.rules';

export interface UnitFields {
  name: string;
  timeZone: string;
  level: UnitLevel;
  parentCode: string | null;
  notifyEmails: string[];
}

/** The channel a change of the unit tree is announced on (src/units/unit-scopes.ts listens). */
export const TREE_CHANNEL = 'apkt_unit_tree';

// The units table and its tree's version; no rules here.
@Injectable()
export class UnitsRepository {
  list(db: Tx, filter: { parentCode?: string; level?: UnitLevel } = {}): Promise<Unit[]> {
    return db.unit.findMany({ where: filter, orderBy: { code: 'asc' } });
  }

  find(db: Tx, code: string): Promise<Unit | null> {
    return db.unit.findUnique({ where: { code } });
  }

  /**
   * Inside a change of the tree: raises its version, which queues concurrent changes on the row's lock
   * (so two moves cannot build a cycle between them), and announces it to every replica at commit.
   */
  async lockTree(tx: Tx): Promise<void> {
    await tx.$executeRaw`UPDATE unit_tree SET version = version + 1 WHERE id = 1`;
    await tx.$executeRaw`SELECT pg_notify(${TREE_CHANNEL}, '')`;
  }

  /** A connection of its own that hears every change of the tree (closing it or losing it calls `lost`). */
  async listen(databaseUrl: string, heard: () => void, lost: (client: Client, error?: Error) => void): Promise<Client> {
    const client = new Client({ connectionString: databaseUrl });
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client));
    client.on('notification', heard);
    await client.connect();
    await client.query(`LISTEN ${TREE_CHANNEL}`);
    return client;
  }

  /** The whole tree and its version, read in one statement (one snapshot). */
  async tree(pool: Pool): Promise<{ version: string; units: TreeUnit[] }> {
    const { rows } = await pool.query<{ version: string; units: TreeUnit[] }>(
      `SELECT (SELECT version::text FROM unit_tree WHERE id = 1) AS version,
        coalesce((SELECT json_agg(json_build_object('code', code, 'name', name, 'level', level, 'parentCode', parent_code)) FROM units), '[]') AS units`,
    );
    return rows[0];
  }

  /** The tree inside a change's transaction (after lockTree: no other change runs meanwhile). */
  treeIn(tx: Tx): Promise<TreeUnit[]> {
    return tx.unit.findMany({ select: { code: true, name: true, level: true, parentCode: true } });
  }

  async version(pool: Pool): Promise<string> {
    const { rows } = await pool.query<{ version: string }>(`SELECT version::text AS version FROM unit_tree WHERE id = 1`);
    return rows[0].version;
  }

  /** A unit's children, and whether tickets or outages name it (a ULP's level is kept while they do). */
  async use(tx: Tx, code: string): Promise<{ children: number; tickets: boolean }> {
    const [row] = await tx.$queryRaw<{ children: number; tickets: boolean }[]>(Prisma.sql`
      SELECT (SELECT count(*)::int FROM units WHERE parent_code = ${code}) AS children,
        EXISTS (SELECT 1 FROM tickets WHERE unit_code = ${code}) OR EXISTS (SELECT 1 FROM outages WHERE unit_code = ${code}) AS tickets`);
    return row;
  }

  put(db: Tx, code: string, fields: UnitFields, now: Date): Promise<Unit> {
    return db.unit.upsert({
      where: { code },
      create: { code, ...fields, createdAt: now, updatedAt: now },
      update: { ...fields, updatedAt: now },
    });
  }
}

/** Development mode only (main.ts): one unit to try the API with, before the application starts. */
export async function registerDevUnit(databaseUrl: string, code: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO units (code, name, time_zone, created_at, updated_at)
       VALUES ($1, 'Development unit', 'Asia/Jakarta', now(), now()) ON CONFLICT (code) DO NOTHING`,
      [code],
    );
  } finally {
    await client.end();
  }
}
