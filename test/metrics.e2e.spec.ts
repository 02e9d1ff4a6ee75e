import { FakeClock } from '../src/clock/clock';
import { PrismaService } from '../src/database/prisma.service';
import { JOB_NAMES, JobsService } from '../src/jobs/jobs.service';
import { TestApp } from './support/app';
import { createTicket, gangguan, registerUnits } from './support/fixtures';

// Issue 13: the gauges operators alert on, read at scrape time; the service's own metrics prefixed apkt_.
describe('operator metrics (issue 13)', () => {
  const T0 = new Date('2026-11-23T01:00:00Z');
  const clock = new FakeClock(T0);
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start({ clock });
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  const scrape = async () => (await app.call<string>('GET', '/metrics')).body;
  const sample = (text: string, name: string, labels = '') => {
    const line = text.split('\n').find((l) => l.startsWith(labels ? `${name}{${labels}}` : `${name} `));
    return line === undefined ? undefined : Number(line.split(' ').pop());
  };

  it('names its own metrics apkt_… and keeps http_request_duration_seconds', async () => {
    const text = await scrape();
    expect(text).toMatch(/^# TYPE apkt_jobs_actions_total counter$/m);
    expect(text).toMatch(/^# TYPE apkt_jobs_run_duration_seconds histogram$/m);
    expect(text).toMatch(/^# TYPE http_request_duration_seconds histogram$/m);
    expect(text).not.toMatch(/^# TYPE jobs_/m);
  });

  it('R-J3 job lag and open tickets over SLA; the escalation queue depth by category and its oldest item', async () => {
    const ticket = await createTicket(app, gangguan());
    expect((await app.as('cso').post('/api/v1/escalations', { category: 'URGENT', ticketNumber: ticket.number, note: 'Pelanggan lansia' })).status).toBe(201);
    let text = await scrape();
    expect(sample(text, 'apkt_job_lag_seconds', 'job="slaBreach"')).toBe(0);
    expect(sample(text, 'apkt_tickets_open_over_sla')).toBe(0);
    expect(sample(text, 'apkt_escalations_open', 'category="URGENT"')).toBe(1);
    expect(sample(text, 'apkt_escalations_open', 'category="LAPOR_ULANG"')).toBe(0);

    clock.set(new Date(T0.getTime() + 190 * 60_000)); // the SLA (180 min) passed 10 minutes ago, no job has run
    text = await scrape();
    expect(sample(text, 'apkt_job_lag_seconds', 'job="slaBreach"')).toBe(600);
    expect(sample(text, 'apkt_escalation_oldest_open_age_seconds')).toBe(190 * 60);

    await app.app.get(JobsService).runAll();
    text = await scrape();
    expect(sample(text, 'apkt_job_lag_seconds', 'job="slaBreach"')).toBe(0);
    expect(sample(text, 'apkt_tickets_open_over_sla')).toBe(1);
  });

  it('job lag of every job: R-J5 waiting references, R-O3 unfinished outage moves, R-J6 expired Idempotency-Keys', async () => {
    const prisma = app.app.get(PrismaService);
    const now = clock.now();
    const ago = (ms: number) => new Date(now.getTime() - ms);
    const DAY = 24 * 60 * 60 * 1000;
    let text = await scrape();
    for (const job of JOB_NAMES) expect(sample(text, 'apkt_job_lag_seconds', `job="${job}"`)).toBeDefined();
    // an ITSM reference waiting 5 days and 1 hour: R-J5 was due an hour ago
    await prisma.$executeRaw`INSERT INTO itsm_references (id, itsm_ticket_id, call_type, category, status, email, customer_name, customer_phone, status_changed_at, created_at, updated_at)
      VALUES (gen_random_uuid(), 'LAG-1', 'INCIDENT', 'Reset Password User', 'WAITING_FOR_CUSTOMER', 'a@example.com', 'Budi', '081234567890', ${ago(5 * DAY + 3600_000)}, ${ago(6 * DAY)}, ${ago(6 * DAY)})`;
    // a key stored 25 hours ago: R-J6 was due an hour ago
    await prisma.$executeRaw`INSERT INTO idempotency_keys (key, fingerprint, status_code, response_body, locked_until, created_at)
      VALUES ('lag-key', 'f', 201, '{}', ${ago(25 * 3600_000)}, ${ago(25 * 3600_000)})`;
    // an outage move recorded 2 minutes ago and not propagated yet
    const outage = await app.as('unit', '542').post('/api/v1/outages', { unitCode: '542', title: 'Penyulang 7', cause: 'Pohon tumbang', area: 'Cimahi', etr: null });
    expect(outage.status).toBe(201);
    await prisma.$executeRaw`INSERT INTO outage_moves (outage_id, kind, to_status, title, actor_sub, actor_role, occurred_at, created_at)
      VALUES (${outage.body.id}::uuid, 'STATUS', 'PERJALANAN', 'Penyulang 7', 'u', 'unit', ${ago(120_000)}, ${ago(120_000)})`;
    text = await scrape();
    expect(sample(text, 'apkt_job_lag_seconds', 'job="itsmWaitingClose"')).toBe(3600);
    expect(sample(text, 'apkt_job_lag_seconds', 'job="idempotencyRetention"')).toBe(3600);
    expect(sample(text, 'apkt_job_lag_seconds', 'job="outagePropagation"')).toBe(120);
    await app.app.get(JobsService).runAll();
    text = await scrape();
    for (const job of JOB_NAMES) expect(sample(text, 'apkt_job_lag_seconds', `job="${job}"`)).toBe(0);
  });
});
