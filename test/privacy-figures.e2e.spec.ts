import autocannon from 'autocannon';
import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { JobsService } from '../src/jobs/jobs.service';
import { AccessLog } from '../src/personal-data-access/access-log';
import { TestApp } from './support/app';
import { registerUnits } from './support/fixtures';

// The figures of issue 28 (docs/privacy.md), a one-off measurement, not a check: run with
// PRIVACY_FIGURES=1 (skipped otherwise). R-P1: list and single read with the access log on vs off;
// R-P4: retention erasing N tickets vs the same columns nulled by one raw UPDATE.
const run = process.env.PRIVACY_FIGURES === '1' ? describe : describe.skip;
const SECONDS = Number(process.env.PRIVACY_FIGURES_SECONDS ?? '5');
const RETAINED = Number(process.env.PRIVACY_FIGURES_TICKETS ?? '100000');

run('privacy figures', () => {
  const clock = new FakeClock(new Date('2026-11-23T01:00:00Z'));
  let app: TestApp;
  let prisma: PrismaService;
  beforeAll(async () => {
    app = await TestApp.start({ clock, config: { lookupRatePerMinute: 1_000_000, dbStatementTimeoutMs: 600_000 } });
    prisma = app.app.get(PrismaService);
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  async function seed(count: number, first: number, closedAt: Date): Promise<void> {
    await prisma.$executeRaw`
      INSERT INTO tickets (number, kind, unit_code, channel, status, customer_name, customer_phone, customer_id_pel, customer_address,
        problem_type, wo_type, description, urgent, reported_at, sla_deadline, over_sla, confirmation_window_minutes, closed_at, cancel_reason,
        last_event_at, version, created_at, updated_at)
      SELECT 'G5422026' || lpad((${first}::int + i)::text, 6, '0'), 'GANGGUAN', '542', 'CC123', 'BATAL',
        'Pelanggan Nomor ' || i, '0812' || lpad(i::text, 8, '0'), lpad((${first}::int + i)::text, 12, '5'), 'Jl. Contoh ' || i,
        'PADAM_1_RUMAH', 'AUTODISPATCH', 'Padam, hubungi 0812' || lpad(i::text, 8, '0') || ' (Pelanggan Nomor ' || i || ')', false,
        ${closedAt}::timestamptz - interval '1 day', ${closedAt}::timestamptz, false, 1440, ${closedAt}::timestamptz, 'Dobel',
        ${closedAt}::timestamptz, 1, ${closedAt}::timestamptz, ${closedAt}::timestamptz
      FROM generate_series(1, ${count}::int) AS i`;
    await prisma.$executeRaw`
      INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
      SELECT 'G5422026' || lpad((${first}::int + i)::text, 6, '0'), 'CREATED', NULL, 'LAPOR', NULL, 'seed', 'cso', ${closedAt}::timestamptz, ${closedAt}::timestamptz
      FROM generate_series(1, ${count}::int) AS i`;
    await prisma.$executeRaw`ANALYZE tickets`;
  }

  async function rate(path: string, token: string): Promise<number> {
    const result = await new Promise<{ non2xx: number; requests: { average: number } }>((resolve, reject) =>
      autocannon({ url: app.baseUrl + path, connections: 8, duration: SECONDS, headers: { authorization: `Bearer ${token}` } }, (error: unknown, r: any) =>
        error ? reject(error) : resolve(r),
      ),
    );
    if (result.non2xx) throw new Error(`${result.non2xx} answers were not 2xx on ${path}`);
    return result.requests.average;
  }

  (process.env.PRIVACY_FIGURES_ONLY === 'retention' ? it.skip : it)('R-P1: list and single GET with the access log on ≥ 0.9× off', async () => {
    await seed(5000, 100000, new Date('2026-11-20T00:00:00Z'));
    const token = await app.token('cso', undefined, 'bench-cso');
    const log = app.app.get(AccessLog);
    const figures: Record<string, { off: number[]; on: number[] }> = {};
    for (const [name, path] of [
      ['list (50 tickets)', '/api/v1/tickets?unitCode=542&limit=50'],
      ['single GET', '/api/v1/tickets/G5422026100001'],
    ]) {
      figures[name] = { off: [], on: [] };
      await rate(path, token); // warm-up
      for (let round = 0; round < 2; round++) {
        for (const on of [false, true]) {
          log.enabled = on;
          figures[name][on ? 'on' : 'off'].push(await rate(path, token));
          await log.flush();
        }
      }
    }
    log.enabled = true;
    const [rows] = await prisma.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM personal_data_access_log WHERE sub = 'bench-cso'`;
    const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
    const lines = Object.entries(figures).map(([name, f]) => `${name}: off ${mean(f.off).toFixed(0)} req/s, on ${mean(f.on).toFixed(0)} req/s → ${(mean(f.on) / mean(f.off)).toFixed(2)}×`);
    process.stderr.write(`\nR-P1 access log (${SECONDS} s runs, 8 connections, 2 rounds each):\n${lines.join('\n')}\nrows written: ${rows.n}\n`);
  });

  it('R-P4: retention erasing N tickets vs one raw UPDATE', async () => {
    const done = new Date('2024-01-01T00:00:00Z');
    await seed(RETAINED, 200000, done);
    clock.set(new Date('2026-11-23T02:00:00Z'));
    const jobs = app.app.get(JobsService);
    let started = process.hrtime.bigint();
    const erased = await jobs.run('personalDataRetention');
    const jobSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    await seed(RETAINED, 400000, done);
    started = process.hrtime.bigint();
    await prisma.$transaction(async (tx) => {
      await tx.$executeRaw`
        UPDATE tickets SET customer_name = NULL, customer_phone = NULL, customer_id_pel = NULL, customer_meter_number = NULL, customer_address = NULL,
          description = regexp_replace(description, '0812[0-9]{8}|Pelanggan Nomor [0-9]+', '[dihapus]', 'g'), version = version + 1, updated_at = now()
        WHERE number >= 'G5422026400001' AND number <= ${`G5422026${String(400000 + RETAINED).padStart(6, '0')}`} AND status = 'BATAL'`;
      await tx.$executeRaw`
        INSERT INTO ticket_events (ticket_number, type, actor_sub, actor_role, occurred_at, recorded_at)
        SELECT number, 'PERSONAL_DATA_ERASED', 'system', 'system', now(), now() FROM tickets
        WHERE number >= 'G5422026400001' AND number <= ${`G5422026${String(400000 + RETAINED).padStart(6, '0')}`}`;
    }, { timeout: 600_000 });
    const rawSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    process.stderr.write(
      `\nR-P4 retention of ${erased} tickets: job ${jobSeconds.toFixed(1)} s (${(erased / jobSeconds).toFixed(0)} tickets/s); ` +
        `raw UPDATE + event INSERT of ${RETAINED}: ${rawSeconds.toFixed(1)} s → ${(jobSeconds / rawSeconds).toFixed(2)}×\n`,
    );
    expect(erased).toBeGreaterThanOrEqual(RETAINED);
  }, 1_800_000);
});
