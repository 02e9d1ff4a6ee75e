import { ADMIN_ENV, createTemplate, startTestServer, TEMPLATE_ENV, TestServer } from './database';

declare global {
  var __APKT_TEST_SERVER__: TestServer | undefined;
}

export default async function globalSetup(): Promise<void> {
  const server = await startTestServer();
  globalThis.__APKT_TEST_SERVER__ = server;
  process.env[ADMIN_ENV] = server.adminUrl;
  process.env[TEMPLATE_ENV] = await createTemplate(server.adminUrl);
  process.stdout.write(`\n[test database: ${server.source}]\n`);
}
