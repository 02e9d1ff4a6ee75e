import { PrismaService } from '../src/database/prisma.service';
import { TestApp } from './support/app';
it('plans', async () => {
  const app = await TestApp.start();
  const prisma = app.app.get(PrismaService);
  await prisma.$executeRaw`INSERT INTO escalations (id, category, status, note, created_at, lease_until, claimed_by)
    SELECT gen_random_uuid(), (ARRAY['URGENT','REQUEST_CALLBACK','LAPOR_ULANG']::"EscalationCategory"[])[1 + i % 3],
      (CASE WHEN i % 10 = 0 THEN 'OPEN' WHEN i % 10 = 1 THEN 'CLAIMED' ELSE 'DONE' END)::"EscalationStatus", 'n', now() - i * interval '1 second',
      CASE WHEN i % 10 = 1 THEN now() - i * interval '1 second' END, 'x'
    FROM generate_series(1, 200000) i`;
  await prisma.$executeRaw`ANALYZE escalations`;
  const now = new Date();
  const cats = ['URGENT', 'LAPOR_ULANG'];
  const a = await prisma.$queryRaw<any[]>`EXPLAIN WITH next AS (SELECT id FROM escalations WHERE status = 'OPEN' ORDER BY (category <> 'URGENT'), created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
    UPDATE escalations e SET status = 'CLAIMED' FROM next WHERE e.id = next.id RETURNING e.id`;
  const b = await prisma.$queryRaw<any[]>`EXPLAIN WITH next AS (SELECT id FROM escalations WHERE status = 'OPEN' AND category = ANY(${cats}::"EscalationCategory"[]) ORDER BY (category <> 'URGENT'), created_at, id LIMIT 1 FOR UPDATE SKIP LOCKED)
    UPDATE escalations e SET status = 'CLAIMED' FROM next WHERE e.id = next.id RETURNING e.id`;
  const c = await prisma.$queryRaw<any[]>`EXPLAIN WITH due AS (SELECT id FROM escalations WHERE status = 'CLAIMED' AND lease_until <= ${now} ORDER BY lease_until LIMIT ${500}::int FOR UPDATE SKIP LOCKED)
    UPDATE escalations e SET status = 'OPEN' FROM due WHERE e.id = due.id`;
  for (const p of [a, b, c]) process.stdout.write(p.map((r) => r['QUERY PLAN']).join('\n') + '\n\n');
  await app.close();
});
