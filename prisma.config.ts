import { defineConfig } from 'prisma/config';

// The CLI is used only for `prisma generate` (offline). Migrations are applied by the service's own
// migrator (src/database/migrator.ts); the URL is only read by commands that reach a database.
export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: { url: process.env.DATABASE_URL ?? 'postgresql://localhost:5432/apkt' },
});
