import { writeFileSync } from 'node:fs';
import { createApp } from '../create-app';

/**
 * Writes the service's OpenAPI document to the file named by the first argument, for the console's
 * generated client (`npm run build`). No database is needed: the connection pool opens lazily, at the
 * first query, and nothing queries here (the jobs, which would, are off).
 */
async function main(): Promise<void> {
  const out = process.argv[2];
  if (!out) throw new Error('usage: node dist/cli/openapi-document.js <output.json>');
  const app = await createApp({
    databaseUrl: 'postgresql://unused@127.0.0.1:1/unused',
    port: 0,
    host: '127.0.0.1',
    jwtSecret: 'unused',
    jobsEnabled: false,
    jobsIntervalMs: 30000,
    migrateOnStart: false,
    escalationLeaseMs: 900000,
    dbPoolSize: 1,
    dbPoolWaitMs: 1000,
    dbStatementTimeoutMs: 1000,
  });
  await app.init();
  const answer = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
  if (answer.statusCode !== 200) throw new Error(`/docs-json answered ${answer.statusCode}`);
  writeFileSync(out, JSON.stringify(JSON.parse(answer.body), null, 2) + '\n');
  await app.close();
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi-document: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
