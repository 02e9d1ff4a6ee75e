import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { JobsService } from '../src/jobs/jobs.service';
import { Metrics } from '../src/metrics/metrics';
import { TestApp } from './support/app';
import { gangguan, registerUnits } from './support/fixtures';

const HOUR = 60 * 60 * 1000;

// R-J6 (issue 14 point 12): Idempotency-Keys are kept 24 hours, then deleted by a job in batches, so the
// table holds about one day of requests whatever the traffic.
describe('R-J6 retention of Idempotency-Keys', () => {
  const clock = new FakeClock(new Date('2026-11-23T01:00:00Z'));
  let app: TestApp;
  let prisma: PrismaService;
  let jobs: JobsService;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    prisma = app.app.get(PrismaService);
    jobs = app.app.get(JobsService);
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  it('keeps about one day of keys over three days of hourly traffic, and still replays a key within 24 h', async () => {
    const cso = app.as('cso');
    const perHour = 3;
    const sizes: number[] = [];
    let firstOfLastDay: { key: string; number: string } | undefined;
    for (let hour = 0; hour < 60; hour++) {
      for (let i = 0; i < perHour; i++) {
        const key = `retention-${hour}-${i}`;
        const answer = await cso.post('/api/v1/tickets', gangguan({ description: `retensi ${hour}` }), { headers: { 'idempotency-key': key } });
        expect(answer.status).toBe(201);
        if (hour === 37 && i === 0) firstOfLastDay = { key, number: answer.body.number };
      }
      await jobs.run('idempotencyRetention');
      sizes.push(await prisma.idempotencyKey.count());
      clock.advance(HOUR);
    }
    // from the second day on, the table holds the last 24 hours (25 hourly batches at the cut-off hour)
    for (const size of sizes.slice(25)) {
      expect(size).toBeGreaterThanOrEqual(24 * perHour);
      expect(size).toBeLessThanOrEqual(25 * perHour);
    }
    const replay = await cso.post('/api/v1/tickets', gangguan({ description: 'retensi 37' }), { headers: { 'idempotency-key': firstOfLastDay!.key } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.number).toBe(firstOfLastDay!.number);
  });

  it('deletes in batches and counts what it deleted', async () => {
    await jobs.run('idempotencyRetention'); // what is due already
    const old = new Date(clock.now().getTime() - 25 * HOUR);
    await prisma.idempotencyKey.createMany({
      data: Array.from({ length: 2500 }, (_, i) => ({ key: `bulk-${i}`, fingerprint: 'f', statusCode: 201, responseBody: '{}', lockedUntil: old, createdAt: old })),
    });
    const before = (await app.app.get(Metrics).jobActions.get()).values.find((v) => v.labels.job === 'idempotencyRetention')?.value ?? 0;
    const batches: number[] = [];
    expect(await jobs.run('idempotencyRetention', (_job, _index, count) => void batches.push(count))).toBe(2500);
    expect(batches).toEqual([1000, 1000, 500]);
    expect(await prisma.idempotencyKey.count({ where: { key: { startsWith: 'bulk-' } } })).toBe(0);
    const after = (await app.app.get(Metrics).jobActions.get()).values.find((v) => v.labels.job === 'idempotencyRetention')?.value ?? 0;
    expect(after - before).toBe(2500);
  });
});
