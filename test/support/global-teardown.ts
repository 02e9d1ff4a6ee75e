import { dropDatabase, TEMPLATE_ENV } from './database';

export default async function globalTeardown(): Promise<void> {
  const server = globalThis.__APKT_TEST_SERVER__;
  if (!server) return;
  const template = process.env[TEMPLATE_ENV];
  if (server.source === 'DATABASE_URL' && template) await dropDatabase(server.adminUrl, template).catch(() => undefined);
  await server.stop();
}
