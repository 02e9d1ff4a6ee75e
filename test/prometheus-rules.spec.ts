import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../src/database/embedded';
import { ROOT, startBuiltService } from './support/built-service';

// Issue 32: the alert rules in deploy/prometheus, checked and unit-tested by promtool, then loaded by a
// real Prometheus (Debian's package, installed by .ci/run) scraping the built service.
const RULES = join(ROOT, 'deploy', 'prometheus');
const run = promisify(execFile);

function need(binary: string): string {
  const path = `/usr/bin/${binary}`;
  if (!existsSync(path)) throw new Error(`${path} is missing: install Debian's prometheus package (apt-get install -y prometheus; .ci/run does)`);
  return path;
}

describe('deploy/prometheus/alerts.yml', () => {
  it('passes promtool check rules', async () => {
    const { stdout } = await run(need('promtool'), ['check', 'rules', 'alerts.yml'], { cwd: RULES });
    expect(stdout).toMatch(/SUCCESS: 8 rules found/);
  });

  it('passes its unit tests (promtool test rules alerts.test.yml): every alert firing and not firing', async () => {
    const { stdout } = await run(need('promtool'), ['test', 'rules', 'alerts.test.yml'], { cwd: RULES });
    expect(stdout).toMatch(/SUCCESS/);
  });

  it('has a runbook section in docs/operations.md for every alert, which its runbook_url names', async () => {
    const rules = await readFile(join(RULES, 'alerts.yml'), 'utf8');
    const tests = await readFile(join(RULES, 'alerts.test.yml'), 'utf8');
    const doc = await readFile(join(ROOT, 'docs', 'operations.md'), 'utf8');
    const alerts = [...rules.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    expect(alerts).toHaveLength(8);
    for (const alert of alerts) {
      expect([alert, rules.includes(`runbook_url: docs/operations.md#${alert.toLowerCase()}`)]).toEqual([alert, true]);
      expect([alert, new RegExp(`^### ${alert}$`, 'm').test(doc)]).toEqual([alert, true]);
      // fired at least once and silent at least once in the unit tests
      const cases = [...tests.matchAll(new RegExp(`alertname: ${alert}\\n\\s+exp_alerts:(.*)`, 'g'))].map((m) => m[1].trim());
      expect([alert, cases.includes('[]'), cases.includes('')]).toEqual([alert, true, true]);
    }
  });
});

describe('Prometheus with the rules, scraping the built service', () => {
  it('loads every rule and finds the service up', async () => {
    const prometheus = need('prometheus');
    const service = await startBuiltService({ JOBS_INTERVAL_MS: '1000' });
    const dir = await mkdtemp(join(tmpdir(), 'apkt-prometheus-'));
    const port = await freePort();
    const config = join(dir, 'prometheus.yml');
    // deploy/prometheus/prometheus.yml with the rules' real path and the service's loopback address
    const deployed = await readFile(join(RULES, 'prometheus.yml'), 'utf8');
    await writeFile(
      config,
      deployed
        .replace('/etc/prometheus/alerts.yml', join(RULES, 'alerts.yml'))
        .replace(/scrape_interval: 15s/, 'scrape_interval: 1s')
        .replace(/evaluation_interval: 15s/, 'evaluation_interval: 1s')
        .replace(/dns_sd_configs:[\s\S]*$/, `static_configs:\n      - targets: ['${new URL(service.url).host}']\n`),
    );
    const child = spawn(prometheus, [`--config.file=${config}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    const log: string[] = [];
    child.stderr?.on('data', (c: Buffer) => log.push(c.toString()));
    const api = async <T>(path: string): Promise<T | undefined> =>
      fetch(`http://127.0.0.1:${port}${path}`).then(async (r) => (r.ok ? ((await r.json()) as { data: T }).data : undefined), () => undefined);
    try {
      const deadline = Date.now() + 30_000;
      let targets: { activeTargets: { health: string; labels: { job: string } }[] } | undefined;
      let rules: { groups: { rules: { name: string; health: string }[] }[] } | undefined;
      let overSla: { result: unknown[] } | undefined;
      for (;;) {
        targets = await api('/api/v1/targets');
        rules = await api('/api/v1/rules');
        overSla = await api('/api/v1/query?query=apkt_db_pool_max');
        if (targets?.activeTargets.some((t) => t.health === 'up') && rules?.groups.flatMap((g) => g.rules).every((r) => r.health === 'ok') && overSla?.result.length) break;
        if (Date.now() > deadline || child.exitCode !== null) throw new Error(`Prometheus did not come up:\n${log.join('')}\n${JSON.stringify({ targets, rules })}`);
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(targets?.activeTargets).toEqual([expect.objectContaining({ health: 'up', labels: expect.objectContaining({ job: 'apkt' }) })]);
      expect(rules?.groups.flatMap((g) => g.rules).map((r) => [r.name, r.health])).toHaveLength(8);
      // the service's own `job` label arrives as exported_job, as alerts.yml and the dashboards expect
      const lag = await api<{ result: { metric: Record<string, string> }[] }>('/api/v1/query?query=apkt_job_lag_seconds');
      expect(lag?.result.map((r) => r.metric.exported_job).sort()).toContain('slaBreach');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      service.kill();
      await rm(dir, { recursive: true, force: true });
    }
  }, 90_000);
});
