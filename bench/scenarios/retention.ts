import { type Bench, fmt, ratio, type Row, scaled, waitFor } from '../lib/context';
import { insertUnits, withClient } from '../lib/database';
import { counted, enableStatements, startCounting, topStatements } from '../lib/pg-stats';
import { metric, withService } from '../lib/service';

// Scenario 17 (issue 28, R-P4): the retention job erasing N done tickets against the same erasure in
// raw SQL. N tickets done in 2024 (past the 730 days), each with its customer's phone and name in its
// description, are held with a recent closed_at while the service (jobs every 200 ms) starts, then
// backdated in one statement; the job's time is the metric apkt_jobs_run_duration_seconds of
// personalDataRetention over the runs that erased them (the wall time until none is held is shown
// beside it). The baseline: another N such tickets, their columns nulled and the description scrubbed
// of both by one UPDATE with one constant pattern, plus the PERSONAL_DATA_ERASED events, in one
// transaction on the same database.
const S17 = '17 Retention';

const seed = (count: number, first: number) => `
  INSERT INTO tickets (number, kind, unit_code, channel, status, customer_name, customer_phone, customer_id_pel, customer_address,
    problem_type, wo_type, description, urgent, reported_at, sla_deadline, over_sla, confirmation_window_minutes, closed_at, cancel_reason,
    last_event_at, version, created_at, updated_at)
  SELECT 'G5422026' || lpad((${first} + i)::text, 6, '0'), 'GANGGUAN', '542', 'CC123', 'BATAL',
    'Pelanggan Nomor ' || i, '0812' || lpad(i::text, 8, '0'), lpad((${first} + i)::text, 12, '5'), 'Jl. Contoh ' || i,
    'PADAM_1_RUMAH', 'AUTODISPATCH', 'Padam, hubungi 0812' || lpad(i::text, 8, '0') || ' (Pelanggan Nomor ' || i || ')', false,
    now() - interval '1 day', now(), false, 1440, now(), 'Dobel', now(), 1, now(), now()
  FROM generate_series(1, ${count}) AS i;
  INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
  SELECT 'G5422026' || lpad((${first} + i)::text, 6, '0'), 'CREATED', NULL, 'LAPOR', NULL, 'seed', 'cso', now(), now()
  FROM generate_series(1, ${count}) AS i`;

const range = (count: number, first: number) => `number >= 'G5422026${String(first + 1).padStart(6, '0')}' AND number <= 'G5422026${String(first + count).padStart(6, '0')}'`;
const DONE_2024 = `closed_at = '2024-01-01T00:00:00Z', reported_at = '2023-12-31T00:00:00Z', sla_deadline = '2024-01-01T00:00:00Z', last_event_at = '2024-01-01T00:00:00Z'`;

export async function retention(bench: Bench): Promise<Row[]> {
  const count = scaled(bench, 100_000, 2_000);
  const url = await bench.server.fresh('retention');
  await insertUnits(url, ['542']);
  await withClient(url, async (c) => {
    await c.query(seed(count, 0));
    await c.query(seed(count, 400_000));
    await c.query('VACUUM ANALYZE tickets, ticket_events');
  });
  bench.log(`retention: 2 × ${fmt(count)} done tickets seeded`);
  const held = (c: Parameters<Parameters<typeof withClient>[1]>[0]) =>
    c.query<{ n: number }>(`SELECT count(*)::int AS n FROM tickets WHERE ${range(count, 0)} AND customer_phone IS NOT NULL`).then((r) => r.rows[0].n);
  // While the job runs, whether any of its tickets is still due: the first entry of the job's own partial
  // index (tickets_personal_data_due_idx), not a count over the range. The count took ~50 ms every 100 ms,
  // half a core of the two taken from the job it was timing (pg_stat_statements, this scenario's note).
  const anyDue = (c: Parameters<Parameters<typeof withClient>[1]>[0]) =>
    c.query(`SELECT 1 FROM tickets WHERE status IN ('DITUTUP', 'BATAL', 'ISSUE_CLOSED')
      AND (customer_name IS NOT NULL OR customer_phone IS NOT NULL OR customer_id_pel IS NOT NULL OR customer_meter_number IS NOT NULL OR customer_address IS NOT NULL)
      AND closed_at < '2025-01-01' LIMIT 1`).then((r) => r.rowCount! > 0);

  const statements = await enableStatements(url);
  const job = await withService(bench, { databaseUrl: url, jobs: true, jobsIntervalMs: 200, name: 'retention' }, async (service) => {
    const jobSeconds = async () => metric(await service.metrics(), 'apkt_jobs_run_duration_seconds_sum', 'job="personalDataRetention"') || 0;
    const jobRuns = async () => metric(await service.metrics(), 'apkt_jobs_run_duration_seconds_count', 'job="personalDataRetention"') || 0;
    const before = await jobSeconds();
    return withClient(url, async (c) => {
      const since = await startCounting(url, statements);
      await c.query(`UPDATE tickets SET ${DONE_2024} WHERE ${range(count, 0)}`);
      const started = performance.now();
      await waitFor('the retention job to erase every ticket', async () => !(await anyDue(c)), 1_800_000, 100);
      const wall = (performance.now() - started) / 1000;
      // the run that erased the last ticket records its duration as it ends, just after its commit: wait
      // for one more run to be recorded (the next one finds nothing due, a few ms) so that one is counted
      const runs = await jobRuns();
      await waitFor('the retention job to record its run', async () => (await jobRuns()) > runs, 60_000, 50);
      const seconds = (await jobSeconds()) - before;
      if ((await held(c)) !== 0) throw new Error('the job left tickets of the range holding personal data');
      const work = await counted(url, since, statements);
      if (statements) bench.notes.push(`Scenario 17: statements taking most database time while the job erased ${fmt(count)} tickets, per ticket (pg_stat_statements): ${topStatements(work, count, 8, true, 'ticket')}.`);
      return { wall, seconds };
    });
  });

  const raw = await withClient(url, async (c) => {
    await c.query(`UPDATE tickets SET ${DONE_2024} WHERE ${range(count, 400_000)}`);
    const started = performance.now();
    await c.query('BEGIN');
    await c.query(`
      UPDATE tickets SET customer_name = NULL, customer_phone = NULL, customer_id_pel = NULL, customer_meter_number = NULL, customer_address = NULL,
        description = regexp_replace(description, '0812[0-9]{8}|Pelanggan Nomor [0-9]+', '[dihapus]', 'g'), version = version + 1, updated_at = now()
      WHERE ${range(count, 400_000)} AND status = 'BATAL'`);
    await c.query(`
      INSERT INTO ticket_events (ticket_number, type, actor_sub, actor_role, occurred_at, recorded_at)
      SELECT number, 'PERSONAL_DATA_ERASED', 'system', 'system', now(), now() FROM tickets WHERE ${range(count, 400_000)}`);
    await c.query('COMMIT');
    return (performance.now() - started) / 1000;
  });
  const scrubbed = await withClient(url, (c) => c.query<{ description: string }>(`SELECT description FROM tickets WHERE number = 'G5422026000007'`).then((r) => r.rows[0].description));
  await bench.server.drop('retention');
  if (scrubbed !== 'Padam, hubungi [dihapus] ([dihapus])') throw new Error(`the job left "${scrubbed}"`);
  return [
    { scenario: S17, metric: `retention job erasing ${fmt(count)} done tickets (job run time; ${fmt(job.wall, 1)} s until none held)`, value: `${fmt(job.seconds, 1)} s`, baseline: `${fmt(raw, 1)} s (one raw UPDATE + event INSERT)`, ratio: ratio(job.seconds, raw), target: '≤ 2×', met: job.seconds <= 2 * raw },
  ];
}
