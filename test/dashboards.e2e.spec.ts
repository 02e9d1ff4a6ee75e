import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TestApp } from './support/app';
import { createTicket, gangguan, registerUnits } from './support/fixtures';

// Issue 32: the Grafana dashboards and the alert rules query only metrics the service exports (scraped
// here from a running app), Prometheus's own `up`, or the ones other modules bring (listed below).
const ROOT = join(__dirname, '..');
const DASHBOARDS = join(ROOT, 'deploy', 'grafana', 'dashboards');
/** Exported only where DATABASE_REPLICA_URLS is set (src/database/read-router.ts); this service runs without replicas. */
const WITH_REPLICAS = ['apkt_replica_lag_seconds'];
const PROMETHEUS_OWN = ['up'];
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'bool', 'offset', 'and', 'or', 'unless', 'inf', 'nan']);

/** The metric names a PromQL expression reads (label matchers, strings, ranges and functions removed). */
export function metricNames(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ')
    .replace(/\boffset\s+\w+/g, ' ');
  const names = [...bare.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(\()?/g)].filter((m) => !m[2] && !KEYWORDS.has(m[1].toLowerCase())).map((m) => m[1]);
  return [...new Set(names)];
}

async function dashboards(): Promise<{ file: string; json: { uid: string; panels: { title: string; targets: { expr: string; datasource: { uid: string } }[] }[] } }[]> {
  const files = (await readdir(DASHBOARDS)).filter((f) => f.endsWith('.json'));
  return Promise.all(files.map(async (file) => ({ file, json: JSON.parse(await readFile(join(DASHBOARDS, file), 'utf8')) })));
}

describe('metricNames', () => {
  it.each([
    ['sum by (route) (rate(http_request_duration_seconds_count{job="apkt"}[5m]))', ['http_request_duration_seconds_count']],
    ['max by (unit) (x) - (max by (unit) (x offset 1h) or y * 0) >= 20', ['x', 'y']],
    ['histogram_quantile(0.99, sum by (le) (rate(a_bucket{route!="/b{c}"}[5m]))) > 1', ['a_bucket']],
    ['(a{state="total"} >= on (job, instance) b) and on (job, instance) (a{state="waiting"} > 0)', ['a', 'b']],
  ])('%s', (expr, names) => expect(metricNames(expr)).toEqual(names));
});

describe('Grafana dashboards and alert rules name only exported metrics (issue 32)', () => {
  let exported: Set<string>;
  beforeAll(async () => {
    const app = await TestApp.start();
    try {
      await registerUnits(app, '542');
      await createTicket(app, gangguan()); // labelled series appear once something happened
      const text = (await app.call<string>('GET', '/metrics')).body;
      exported = new Set<string>();
      for (const [, name, type] of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
        exported.add(name);
        if (type === 'histogram') for (const suffix of ['_bucket', '_count', '_sum']) exported.add(name + suffix);
        if (type === 'summary') for (const suffix of ['_count', '_sum']) exported.add(name + suffix);
      }
      for (const name of [...WITH_REPLICAS, ...PROMETHEUS_OWN]) exported.add(name);
    } finally {
      await app.close();
    }
  });

  it('has the five dashboards, each a Prometheus-backed JSON with queries', async () => {
    const all = await dashboards();
    expect(all.map((d) => d.json.uid).sort()).toEqual(['apkt-feed', 'apkt-jobs', 'apkt-outbox', 'apkt-service', 'apkt-tickets']);
    for (const { json } of all) {
      expect(json.panels.length).toBeGreaterThan(0);
      for (const panel of json.panels) for (const target of panel.targets) expect([panel.title, target.datasource.uid]).toEqual([panel.title, 'prometheus']);
    }
  });

  it('every dashboard query names exported metrics only', async () => {
    const unknown: string[] = [];
    for (const { file, json } of await dashboards())
      for (const panel of json.panels)
        for (const target of panel.targets) for (const name of metricNames(target.expr)) if (!exported.has(name)) unknown.push(`${file} "${panel.title}": ${name}`);
    expect(unknown).toEqual([]);
  });

  it('every alert rule names exported metrics only', async () => {
    const rules = await readFile(join(ROOT, 'deploy', 'prometheus', 'alerts.yml'), 'utf8');
    // expressions are one line or a `|` block indented under `expr:`
    const exprs = [...rules.matchAll(/^(\s+)expr: (\|\n((?:\1\s+.*\n)+)|.*)$/gm)].map((m) => (m[3] ?? m[2]).trim());
    expect(exprs).toHaveLength(8);
    const unknown = exprs.flatMap((expr) => metricNames(expr).filter((name) => !exported.has(name)).map((name) => `${name} in ${expr}`));
    expect(unknown).toEqual([]);
  });
});
