import { withClient } from './database';

// What the database did during a measured run: its committed transactions (pg_stat_database) and, when
// the server preloads pg_stat_statements (the embedded server of `npm run bench` does), the statements
// run, so a scenario can say how many round trips each request cost and which statements dominate.
export interface StatementStat {
  query: string;
  calls: number;
  totalMs: number;
}

export interface DatabaseWork {
  commits: number;
  /** undefined when pg_stat_statements is not available on the server */
  statements?: StatementStat[];
}

/** Creates the extension in `url`'s database when the server has it loaded; whether it is usable. */
export async function enableStatements(url: string): Promise<boolean> {
  return withClient(url, async (c) => {
    const loaded = (await c.query<{ on: boolean }>(`SELECT current_setting('shared_preload_libraries') ~ 'pg_stat_statements' AS on`)).rows[0].on;
    if (!loaded) return false;
    await c.query('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    return true;
  });
}

async function commits(url: string): Promise<number> {
  return withClient(url, async (c) => {
    // the counters are flushed by each backend at most once a second: read after the run has settled
    await c.query('SELECT pg_stat_force_next_flush()').catch(() => undefined);
    const { rows } = await c.query<{ n: string }>('SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = current_database()');
    return Number(rows[0].n);
  });
}

/** Starts counting: resets the statement statistics of the server. */
export async function startCounting(url: string, statements: boolean): Promise<number> {
  if (statements) await withClient(url, (c) => c.query('SELECT pg_stat_statements_reset()'));
  return commits(url);
}

/** The work done since startCounting, in `url`'s database only. */
export async function counted(url: string, since: number, statements: boolean): Promise<DatabaseWork> {
  const now = await commits(url);
  if (!statements) return { commits: now - since };
  return withClient(url, async (c) => {
    const { rows } = await c.query<{ query: string; calls: string; total: number }>(
      `SELECT s.query, s.calls::text AS calls, s.total_exec_time + s.total_plan_time AS total FROM pg_stat_statements s
       JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = current_database() ORDER BY s.calls DESC`,
    );
    return { commits: now - since, statements: rows.map((r) => ({ query: r.query.replace(/\s+/g, ' ').trim(), calls: Number(r.calls), totalMs: r.total })) };
  });
}

/** The few statements run most often (or, `byTime`, taking most time), for a note: calls per `per` and the start of their text. */
export function topStatements(work: DatabaseWork, per: number, n = 6, byTime = false, unit = 'create'): string {
  return [...(work.statements ?? [])]
    .sort((a, b) => (byTime ? b.totalMs - a.totalMs : b.calls - a.calls))
    .filter((s) => !/pg_stat_|pg_stat_statements/.test(s.query))
    .slice(0, n)
    .map((s) => `${(s.calls / per).toFixed(2)}× "${s.query.slice(0, 70)}…" (${(s.totalMs / s.calls).toFixed(2)} ms each, ${(s.totalMs / per).toFixed(2)} ms per ${unit})`)
    .join('; ');
}

/** The work of several counted stretches together (statements by their text). */
export function addWork(parts: DatabaseWork[]): DatabaseWork {
  const commits = parts.reduce((n, p) => n + p.commits, 0);
  if (parts.some((p) => !p.statements)) return { commits };
  const byQuery = new Map<string, StatementStat>();
  for (const s of parts.flatMap((p) => p.statements ?? [])) {
    const held = byQuery.get(s.query);
    byQuery.set(s.query, held ? { query: s.query, calls: held.calls + s.calls, totalMs: held.totalMs + s.totalMs } : { ...s });
  }
  return { commits, statements: [...byQuery.values()] };
}
