import { FakeClock } from '../src/clock/clock';
import { JobsService } from '../src/jobs/jobs.service';
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
});
