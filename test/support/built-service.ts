import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { signToken } from '../../src/auth/jwt';
import type { Role } from '../../src/auth/roles';
import { freePort } from '../../src/database/embedded';
import { TEST_SECRET } from './app';
import { freshDatabase } from './database';

export const ROOT = join(__dirname, '..', '..');

/**
 * `dist/main.js` (what `npm run build` — run by `npm test`'s pretest — makes, and the image runs) as a
 * child process on a fresh database, its log lines collected. `env` is laid over this process's.
 */
export async function startBuiltService(env: Record<string, string> = {}, options: { nodeArgs?: string[]; root?: string } = {}) {
  const root = options.root ?? ROOT;
  const main = join(root, 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run \`npm run build\` first`);
  const databaseUrl = await freshDatabase();
  const port = await freePort();
  const child = spawn(process.execPath, [...(options.nodeArgs ?? []), main], {
    cwd: root,
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', DATABASE_URL: databaseUrl, AUTH_JWT_SECRET: TEST_SECRET, MIGRATE_ON_START: 'false', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const collect = (chunk: Buffer) => lines.push(...chunk.toString().split('\n').filter(Boolean));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with code ${child.exitCode}:\n${lines.join('\n')}`);
    if (await fetch(`${url}/health/ready`).then((r) => r.ok, () => false)) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error('the service did not become ready');
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  const headers = async (role: Role, extra: Record<string, string> = {}) => ({
    authorization: `Bearer ${await signToken(TEST_SECRET, { sub: `built-${role}`, role, unit: role === 'unit' ? '542' : undefined })}`,
    ...extra,
  });
  return {
    databaseUrl,
    url,
    child,
    exited,
    lines,
    headers,
    /** Parsed JSON log lines. */
    logs: () => lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>),
    kill: () => child.exitCode === null && child.kill('SIGKILL'),
  };
}
