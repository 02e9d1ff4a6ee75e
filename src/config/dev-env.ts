import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';

// The embedded development mode keeps its data and a generated JWT secret under ./.data, so that
// tokens from `npm run token` keep working across restarts.
export const DEV_DATA_DIR = resolve(process.env.APKT_DATA_DIR ?? '.data');

export async function devSecret(): Promise<string> {
  const file = join(DEV_DATA_DIR, 'dev-jwt-secret');
  const existing = await readFile(file, 'utf8').catch(() => '');
  if (existing.trim()) return existing.trim();
  const secret = randomBytes(32).toString('hex');
  await mkdir(DEV_DATA_DIR, { recursive: true });
  await writeFile(file, secret, { mode: 0o600 });
  return secret;
}
