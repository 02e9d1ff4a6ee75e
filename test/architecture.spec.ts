import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// The shape of src/ that docs/architecture.md describes, checked on every `npm test` (no database):
// no file imports another that imports it back, nor any folder of src/ (and folders import only sideways or
// down the layers the doc lists); queries live only in repositories and statement files;
// a module names another module's table in SQL or a Prisma delegate only where the exceptions below say
// so, and never to write it. Each check is a function of a map of files, so the last block proves it
// fails on a small example of the violation it looks for.

type Files = Map<string, string>; // path relative to the repository root → text

const ROOT = join(__dirname, '..');

function sourcesUnder(dir: string, files: Files = new Map()): Files {
  for (const entry of readdirSync(join(ROOT, dir), { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) {
      if (path !== 'src/generated') sourcesUnder(path, files);
    } else if (entry.name.endsWith('.ts')) files.set(path, readFileSync(join(ROOT, path), 'utf8'));
  }
  return files;
}

const isSpec = (path: string) => path.endsWith('.spec.ts');

// ---- 1. file-level import cycles -------------------------------------------------------------------

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The files each file imports (type-only imports too: a cycle of types is still a cycle to read). */
export function importGraph(files: Files): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const [path, text] of files) {
    const targets: string[] = [];
    for (const m of text.matchAll(IMPORT)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (!spec.startsWith('.')) continue;
      const base = relative(ROOT, resolve(ROOT, dirname(path), spec.replace(/\.js$/, '')));
      const target = [`${base}.ts`, `${base}/index.ts`].find((candidate) => files.has(candidate));
      if (target) targets.push(target);
    }
    graph.set(path, targets);
  }
  return graph;
}

/** Every cycle found by a depth-first search, each as the files along it. */
export function importCycles(files: Files): string[][] {
  const graph = importGraph(files);
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(file, 'done');
  };
  for (const file of [...graph.keys()].sort()) if (!state.has(file)) visit(file);
  return cycles;
}

// ---- 2. where queries may be -----------------------------------------------------------------------

const SCHEMA = readFileSync(join(ROOT, 'prisma', 'schema.prisma'), 'utf8');
/** Prisma delegate (`ticketEvent`) → table (`ticket_events`), from schema.prisma's models and @@map. */
export const TABLE_OF_DELEGATE = new Map(
  [...SCHEMA.matchAll(/^model (\w+) \{[^}]*?@@map\("(\w+)"\)/gms)].map((m) => [m[1][0].toLowerCase() + m[1].slice(1), m[2]]),
);
const DELEGATE_METHODS = 'findMany|findUnique|findUniqueOrThrow|findFirst|findFirstOrThrow|create|createMany|createManyAndReturn|update|updateMany|upsert|delete|deleteMany|count|aggregate|groupBy';
const DELEGATE_CALL = new RegExp(`\\.(${[...TABLE_OF_DELEGATE.keys()].join('|')})\\.(${DELEGATE_METHODS})\\(`, 'g');
const RAW_CALL = /\$(?:queryRaw|executeRaw|queryRawUnsafe|executeRawUnsafe)\b/g;
const POOL_CALL = /\b(?:pool|probe|client)\.query\(/g;

/** Where a query may be: a repository, a statement file, or the database plumbing itself. */
export const mayQuery = (path: string): boolean => /\.repository\.ts$|\.sql\.ts$/.test(path) || path.startsWith('src/database/');

/** Each query call outside the places that may hold one, as `file: call`. */
export function misplacedQueries(files: Files): string[] {
  const found: string[] = [];
  for (const [path, text] of files) {
    if (isSpec(path) || mayQuery(path)) continue;
    for (const pattern of [DELEGATE_CALL, RAW_CALL, POOL_CALL]) for (const m of text.matchAll(pattern)) found.push(`${path}: ${m[0]}`);
  }
  return found;
}

// ---- 3. who names which table ----------------------------------------------------------------------

/** The text of the string and template literals of a TypeScript source, comments left out. */
export function literals(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  const template = (): string => {
    let s = '';
    i++; // the opening backtick
    while (i < text.length && text[i] !== '`') {
      if (text[i] === '\\') s += text.slice(i, (i += 2));
      else if (text.startsWith('${', i)) {
        i += 2;
        let depth = 1;
        while (i < text.length && depth) {
          if (text[i] === '`') out.push(template());
          else if (text[i] === '{') depth++;
          else if (text[i] === '}') depth--;
          i++;
        }
        s += ' ';
        continue;
      } else s += text[i++];
    }
    return s;
  };
  while (i < text.length) {
    const c = text[i];
    if (text.startsWith('//', i)) i = text.indexOf('\n', i) < 0 ? text.length : text.indexOf('\n', i);
    else if (text.startsWith('/*', i)) i = text.indexOf('*/', i) + 2;
    else if (c === '`') {
      out.push(template());
      i++;
    } else if (c === "'" || c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out.push(text.slice(i + 1, j));
      i = j + 1;
    } else i++;
  }
  return out;
}

const SQL = /\b(SELECT|INSERT INTO|UPDATE|DELETE FROM|FROM|JOIN)\b/;
const TABLES = [...TABLE_OF_DELEGATE.values()];

/** The owned tables a file names, and whether it writes each (SQL INSERT/UPDATE/DELETE, or a Prisma write). */
export function tablesNamed(text: string): Map<string, { writes: boolean }> {
  const named = new Map<string, { writes: boolean }>();
  const note = (table: string, writes: boolean) => named.set(table, { writes: writes || (named.get(table)?.writes ?? false) });
  for (const sql of literals(text).filter((s) => SQL.test(s))) {
    for (const table of TABLES) {
      if (!new RegExp(`\\b${table}\\b`).test(sql)) continue;
      note(table, new RegExp(`\\b(INSERT INTO|UPDATE|DELETE FROM)\\s+"?${table}\\b`).test(sql));
    }
  }
  for (const m of text.matchAll(DELEGATE_CALL)) note(TABLE_OF_DELEGATE.get(m[1]) as string, !/^(find|count|aggregate|groupBy)/.test(m[2]));
  return named;
}

/** table → owning folder, read from the module map of docs/architecture.md (`| \`src/x\` | \`t1\`, \`t2\` | …`). */
export function ownersFromDocs(doc: string): Map<string, string> {
  const owners = new Map<string, string>();
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const folder = /^`src\/([\w-]+)`$/.exec(cells[1] ?? '')?.[1];
    if (!folder) continue;
    for (const m of (cells[2] ?? '').matchAll(/`(\w+)`/g)) owners.set(m[1], folder);
  }
  return owners;
}

/**
 * Where a module names another's table, and why it may: reads only. (The ticket create's one statement
 * also stores the request's Idempotency-Key, but with SQL that src/http's idempotency repository writes
 * and the create only places: keyUnseen, storeAnswerFrom.)
 */
export const EXCEPTIONS: { file: string; table: string; writes?: true; why: string }[] = [
  { file: 'src/tickets/sql/insert-ticket.sql.ts', table: 'units', why: "the unit's time zone gives the number's year (R-T2), in the create's one statement" },
  { file: 'src/tickets/sql/insert-ticket.sql.ts', table: 'policies', why: 'the most specific policy gives the SLA times (R-S1), in the same statement' },
  { file: 'src/tickets/sql/read-for-change.sql.ts', table: 'units', why: "R-R2's note prints the deadline in the unit's time zone: read with the ticket a re-report changes in one statement (issue 30)" },
  { file: 'src/tickets/sql/auto-close.sql.ts', table: 'units', why: "the event note's local time (R-J1)" },
  { file: 'src/tickets/sql/mark-sla-breaches.sql.ts', table: 'units', why: "the event note's local time (R-J3)" },
  { file: 'src/changes/changes.repository.ts', table: 'tickets', why: 'the change feed reads the rows it streams (R-F1…R-F4)' },
  { file: 'src/reports/reports.sql.ts', table: 'tickets', why: 'the supervisors’ aggregates (R-M1…R-M4) read the stored facts' },
  { file: 'src/reports/reports.sql.ts', table: 'ticket_events', why: 'R-M3 counts re-reports from their events' },
  { file: 'src/reports/reports.sql.ts', table: 'units', why: "days in each unit's time zone" },
  { file: 'src/escalation/escalation.repository.ts', table: 'tickets', why: "R-M2/R-M4's escalation aggregate reads the escalated tickets' units" },
  { file: 'src/escalation/escalation.repository.ts', table: 'units', why: "days in each unit's time zone" },
  { file: 'src/outbound/outbound.repository.ts', table: 'tickets', why: 'R-W7: the over-SLA digest lists the breached tickets' },
  { file: 'src/outbound/outbound.repository.ts', table: 'units', why: "R-W7: the units' notification addresses" },
  { file: 'src/outbound/outbound.repository.ts', table: 'ticket_events', why: 'R-P3: a stored message takes the erased note of its event' },
  { file: 'src/outbound/outbound.repository.ts', table: 'escalations', why: 'R-P3: a stored message takes the erased notes of its escalation' },
  { file: 'src/units/units.repository.ts', table: 'tickets', why: 'a ULP keeps its level while tickets name it (R-H1)' },
  { file: 'src/units/units.repository.ts', table: 'outages', why: 'a ULP keeps its level while outages name it (R-H1)' },
];

const moduleOf = (path: string): string => (/^src\/([\w-]+)\//.exec(path)?.[1] ?? 'app');

/** Each place a module names a table it does not own, beyond the exceptions (and any write there). */
export function foreignTables(files: Files, owners: Map<string, string>): string[] {
  const found: string[] = [];
  for (const [path, text] of files) {
    if (isSpec(path)) continue;
    for (const [table, { writes }] of tablesNamed(text)) {
      const owner = owners.get(table);
      if (owner === moduleOf(path)) continue;
      const allowed = EXCEPTIONS.find((e) => e.file === path && e.table === table);
      if (!allowed || (writes && !allowed.writes)) found.push(`${path} ${writes ? 'writes' : 'reads'} ${table} (owner: ${owner ? `src/${owner}` : 'none'})`);
    }
  }
  return found;
}

// ---- 4. who builds HTTP answers -------------------------------------------------------------------

/** The HTTP layer: src/http, the auth guard, the OpenAPI document, controllers and the app's bootstrap. */
const isHttpLayer = (path: string): boolean => /^src\/(http|auth|openapi)\//.test(path) || /\.controller\.ts$/.test(path) || /^src\/[\w-]+\.ts$/.test(path);

/** Services, repositories, rules and the rest that import src/common/problem (they throw a DomainException instead). */
export function problemBuilders(files: Files): string[] {
  return [...importGraph(files)].filter(([from, to]) => !isSpec(from) && !isHttpLayer(from) && to.includes('src/common/problem.ts')).map(([from]) => from);
}

// ---- 5. folders import one way -------------------------------------------------------------------

/** The top-level folder of src/ a file is in; the composition root (src/*.ts) is `(root)`. */
const folderOf = (path: string): string => /^src\/([\w-]+)\//.exec(path)?.[1] ?? '(root)';

/** Folder → the folders it imports (a folder imports another when any of its files does), each with one file that does. */
export function folderGraph(files: Files): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const [from, targets] of importGraph(files)) {
    const folder = folderOf(from);
    const edges = graph.get(folder) ?? graph.set(folder, new Map()).get(folder)!;
    for (const to of targets) if (folderOf(to) !== folder && !edges.has(folderOf(to))) edges.set(folderOf(to), `${from} > ${to}`);
  }
  return graph;
}

/** Every cycle of the folder graph, each as the folders along it (a folder-level knot needs no file-level cycle). */
export function folderCycles(files: Files): string[][] {
  const graph = new Map([...folderGraph(files)].map(([folder, edges]) => [folder, [...edges.keys()].sort()]));
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const cycles: string[][] = [];
  const visit = (folder: string): void => {
    state.set(folder, 'open');
    stack.push(folder);
    for (const next of graph.get(folder) ?? []) {
      if (state.get(next) === 'open') cycles.push([...stack.slice(stack.indexOf(next)), next]);
      else if (!state.has(next)) visit(next);
    }
    stack.pop();
    state.set(folder, 'done');
  };
  for (const folder of [...graph.keys()].sort()) if (!state.has(folder)) visit(folder);
  return cycles;
}

/**
 * The layers of docs/architecture.md, top first: rows `| <n>. <name> | \`src/x\`, \`src/y\` | … |` of its
 * layer table; `src/*.ts` is the composition root. Folder → its layer's number (1 is the top).
 */
export function layersFromDocs(doc: string): Map<string, number> {
  const layers = new Map<string, number>();
  for (const line of doc.split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const layer = /^(\d+)\. /.exec(cells[1] ?? '')?.[1];
    if (!layer) continue;
    for (const m of (cells[2] ?? '').matchAll(/`src\/([\w*.-]+)`/g)) layers.set(m[1] === '*.ts' ? '(root)' : m[1], Number(layer));
  }
  return layers;
}

/** Imports from a folder to one in a higher layer (a lower number), and folders no layer lists. */
export function upwardImports(files: Files, layers: Map<string, number>): string[] {
  const found: string[] = [];
  const graph = folderGraph(files);
  for (const folder of [...graph.keys()].sort()) if (!layers.has(folder)) found.push(`src/${folder} is in no layer`);
  for (const [from, edges] of graph) {
    for (const [to, example] of edges) {
      if ((layers.get(to) ?? 0) < (layers.get(from) ?? 0)) found.push(`${example}: layer ${layers.get(from)} imports layer ${layers.get(to)}`);
    }
  }
  return found.sort();
}

// ---- the checks on src/ ----------------------------------------------------------------------------

const SRC = sourcesUnder('src');
const DOC = readFileSync(join(ROOT, 'docs', 'architecture.md'), 'utf8');
const OWNERS = ownersFromDocs(DOC);
const LAYERS = layersFromDocs(DOC);

describe('architecture (docs/architecture.md)', () => {
  it('has no file-level import cycle in src/', () => {
    expect(importCycles(SRC).map((cycle) => cycle.join(' > '))).toEqual([]);
  });

  it('runs queries only in repositories, statement files (*.sql.ts) and src/database', () => {
    expect(misplacedQueries(SRC)).toEqual([]);
  });

  it('gives every table of prisma/schema.prisma exactly one owner in the module map', () => {
    expect(TABLES.filter((table) => !OWNERS.has(table))).toEqual([]);
  });

  it("names another module's table only where an exception says why, and never writes it but there", () => {
    expect(foreignTables(SRC, OWNERS)).toEqual([]);
  });

  it('builds HTTP answers only in the HTTP layer: modules throw their coded DomainException', () => {
    expect(problemBuilders(SRC)).toEqual([]);
  });

  it('has no folder-level import cycle in src/: a folder imports another only when that one does not import it back', () => {
    expect(folderCycles(SRC).map((cycle) => cycle.join(' > '))).toEqual([]);
  });

  it('imports only sideways or down the layers of docs/architecture.md, and lists every folder in one layer', () => {
    expect(upwardImports(SRC, LAYERS)).toEqual([]);
  });

  it('keeps the tickets module below the intake workflows', () => {
    const upward = [...importGraph(SRC)].filter(([from]) => from.startsWith('src/tickets/')).flatMap(([from, to]) => to.filter((t) => t.startsWith('src/intake/')).map((t) => `${from} > ${t}`));
    expect(upward).toEqual([]);
  });

  it('lists only exceptions still needed', () => {
    const used = EXCEPTIONS.filter((e) => SRC.has(e.file) && tablesNamed(SRC.get(e.file) as string).has(e.table));
    expect(used).toEqual(EXCEPTIONS);
  });
});

describe('architecture checks catch what they look for', () => {
  it('an import cycle, also of types only', () => {
    const files: Files = new Map([
      ['src/a/a.service.ts', "import type { Draft } from './a.repository';\nexport class A {}"],
      ['src/a/a.repository.ts', "import { A } from './a.service';\nexport interface Draft { a: A }"],
      ['src/a/b.ts', "import { A } from './a.service';"],
    ]);
    expect(importCycles(files)).toEqual([['src/a/a.repository.ts', 'src/a/a.service.ts', 'src/a/a.repository.ts']]);
  });

  it('a query in a service, a controller or anywhere outside a repository', () => {
    const files: Files = new Map([
      ['src/a/a.service.ts', 'const rows = await tx.ticket.findMany({});\nawait this.prisma.$queryRaw`SELECT 1`;'],
      ['src/h/health.controller.ts', "await this.prisma.probe.query('SELECT 1');"],
      ['src/a/a.repository.ts', 'return tx.ticket.findMany({});'],
      ['src/a/x.sql.ts', 'export const X = Prisma.sql`SELECT 1`;'],
      ['src/a/map.ts', 'cache.delete(key); groups.count;'],
    ]);
    expect(misplacedQueries(files)).toEqual(['src/a/a.service.ts: .ticket.findMany(', 'src/a/a.service.ts: $queryRaw', 'src/h/health.controller.ts: probe.query(']);
  });

  it("another module's table, read or written, in SQL or through a Prisma delegate", () => {
    const owners = new Map([
      ['tickets', 'tickets'],
      ['ticket_events', 'tickets'],
      ['escalations', 'escalation'],
    ]);
    const files: Files = new Map([
      ['src/escalation/escalation.repository.ts', 'await tx.$executeRaw`INSERT INTO ticket_events (ticket_number) VALUES (${n})`;'],
      ['src/outages/outages.repository.ts', 'return db.ticket.update({ where: { number } });'],
      ['src/lookup/lookup.repository.ts', 'return db.$queryRaw`SELECT e.id FROM escalations e JOIN tickets t ON t.number = e.ticket_number`;'],
      ['src/tickets/tickets.repository.ts', "// tickets.escalations are read elsewhere\nconst text = 'UPDATE tickets SET version = version + 1';"],
    ]);
    expect(foreignTables(files, owners)).toEqual([
      'src/escalation/escalation.repository.ts writes ticket_events (owner: src/tickets)',
      'src/outages/outages.repository.ts writes tickets (owner: src/tickets)',
      'src/lookup/lookup.repository.ts reads tickets (owner: src/tickets)',
      'src/lookup/lookup.repository.ts reads escalations (owner: src/escalation)',
    ]);
  });

  it('a service that builds a Problem', () => {
    const files: Files = new Map([
      ['src/common/problem.ts', 'export class Problem {}'],
      ['src/common/problem-code.ts', 'export enum ProblemCode {}'],
      ['src/a/a.service.ts', "import { Problem } from '../common/problem';"],
      ['src/a/a.exception.ts', "import { ProblemCode } from '../common/problem-code';"],
      ['src/a/a.controller.ts', "import { Problem } from '../common/problem';"],
    ]);
    expect(problemBuilders(files)).toEqual(['src/a/a.service.ts']);
  });

  it('a write where only a read is excused', () => {
    const owners = new Map([['tickets', 'tickets']]);
    const files: Files = new Map([['src/changes/changes.repository.ts', "const s = 'UPDATE tickets SET change_xid = 1';"]]);
    expect(foreignTables(files, owners)).toEqual(['src/changes/changes.repository.ts writes tickets (owner: src/tickets)']);
  });

  it('a knot of folders that no file-level cycle shows', () => {
    const files: Files = new Map([
      ['src/http/domain-problems.ts', "import { TicketErrorCode } from '../tickets/ticket.exception';"],
      ['src/tickets/ticket.exception.ts', 'export enum TicketErrorCode {}'],
      ['src/tickets/tickets.controller.ts', "import { Answer } from '../http/answers';"],
      ['src/http/answers.ts', 'export const Answer = () => null;'],
      ['src/app.module.ts', "import { TicketsController } from './tickets/tickets.controller';"],
    ]);
    expect(importCycles(files)).toEqual([]);
    expect(folderCycles(files)).toEqual([['tickets', 'http', 'tickets']]);
  });

  it('an import up the layers, and a folder in no layer', () => {
    const layers = layersFromDocs(['| 1. root | `src/*.ts` | … |', '| 2. modules | `src/tickets`, `src/intake` | … |', '| 3. edge | `src/http` | … |'].join('\n'));
    expect([...layers]).toEqual([['(root)', 1], ['tickets', 2], ['intake', 2], ['http', 3]]);
    const files: Files = new Map([
      ['src/app.module.ts', "import { T } from './tickets/t';"],
      ['src/tickets/t.ts', "import { I } from '../intake/i';\nimport { H } from '../http/h';"],
      ['src/intake/i.ts', 'export const I = 1;'],
      ['src/http/h.ts', "import { boot } from '../app.module';"],
      ['src/extra/x.ts', "import { H } from '../http/h';"],
    ]);
    expect(upwardImports(files, layers)).toEqual(['src/extra is in no layer', 'src/http/h.ts > src/app.module.ts: layer 3 imports layer 1']);
  });
});
