import { Injectable } from '@nestjs/common';
import { Client } from 'pg';
import type { Tx } from '../database/prisma.service';
import type { Unit } from '../generated/prisma/client';

// The units table; no rules here.
@Injectable()
export class UnitsRepository {
  list(db: Tx): Promise<Unit[]> {
    return db.unit.findMany({ orderBy: { code: 'asc' } });
  }

  find(db: Tx, code: string): Promise<Unit | null> {
    return db.unit.findUnique({ where: { code } });
  }

  put(db: Tx, code: string, create: { name: string; timeZone: string }, update: { name: string; timeZone?: string }, now: Date): Promise<Unit> {
    return db.unit.upsert({
      where: { code },
      create: { code, ...create, createdAt: now, updatedAt: now },
      update: { ...update, updatedAt: now },
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
