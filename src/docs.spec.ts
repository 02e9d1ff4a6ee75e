import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// docs/domain.md is how a newcomer finds a rule's code: this keeps it from rotting silently. Every rule
// id of DOMAIN.md has a row; every path it names exists; every test title it quotes is in that file.
const ROOT = join(__dirname, '..');
const DOMAIN_DOC = readFileSync(join(ROOT, 'docs', 'domain.md'), 'utf8');

const RULE_IDS = [
  ...['R-T1', 'R-T2', 'R-T3', 'R-T4', 'R-T5', 'R-T6', 'R-T7', 'R-S1', 'R-S2', 'R-S3', 'R-C1', 'R-C2'],
  ...['R-R1', 'R-R2', 'R-R3', 'R-R4', 'R-R5', 'R-R6', 'R-R7', 'R-R7a', 'R-R8', 'R-R9', 'R-R10'],
  ...['R-E1', 'R-E2', 'R-E3', 'R-E4', 'R-K1', 'R-K2', 'R-K3', 'R-K4'],
  ...['R-I1', 'R-I2', 'R-I3', 'R-I4', 'R-I5', 'R-I6', 'R-I7', 'R-A1', 'R-A2', 'R-A3', 'R-A4', 'R-A5'],
  ...['R-J1', 'R-J2', 'R-J3', 'R-J4', 'R-J5', 'R-J6', 'R-F1', 'R-F2', 'R-F3', 'R-F4'],
  ...['R-L1', 'R-L2', 'R-L3', 'R-L4', 'R-M1', 'R-M2', 'R-M3', 'R-M4', 'R-O1', 'R-O2', 'R-O3', 'R-O4', 'R-O5'],
  ...['R-U1', 'R-U2', 'R-U3', 'R-U4', 'R-U5', 'R-U6'],
  ...['R-P1', 'R-P2', 'R-P3', 'R-P4', 'R-P5'],
  ...['R-H1', 'R-H2', 'R-H3', 'R-H4'],
  ...['R-W1', 'R-W2', 'R-W3', 'R-W4', 'R-W5', 'R-W6', 'R-W7', 'R-D1'],
];

/** The table row of a rule: `| R-R4 | … |`. */
const rowOf = (id: string): string | undefined => DOMAIN_DOC.split('\n').find((line) => line.startsWith(`| ${id} |`));

const PATH = /`((?:src|test|prisma)\/[\w./-]+)`/g;
const pathsIn = (text: string): string[] => [...text.matchAll(PATH)].map((m) => m[1]);

/** `file.spec.ts` › "title", "title" — each title up to its first "…" (a shortened one). */
function quotedTitles(text: string): [file: string, title: string][] {
  const found: [string, string][] = [];
  for (const m of text.matchAll(/`((?:src|test)\/[^`]+\.spec\.ts)` › ((?:"(?:[^"\\]|\\.)*"(?:, )?)+)/g)) {
    for (const t of m[2].matchAll(/"((?:[^"\\]|\\.)*)"/g)) found.push([m[1], t[1].replace(/\\"/g, '"').split('…')[0].trim()]);
  }
  return found;
}

describe('docs/domain.md', () => {
  it.each(RULE_IDS)('has a row for %s', (id) => {
    expect(rowOf(id)).toBeDefined();
  });

  it.each(RULE_IDS)('%s names code in the repository, or the page of the feature that brings it', (id) => {
    const row = rowOf(id) ?? '';
    const code = pathsIn(row).filter((p) => !p.endsWith('.spec.ts') && !p.startsWith('test/'));
    expect(code.length > 0 || /see docs\/[a-z-]+\.md/.test(row)).toBe(true);
  });

  it('names only files that exist', () => {
    const missing = [...new Set(pathsIn(DOMAIN_DOC))].filter((p) => !existsSync(join(ROOT, p)));
    expect(missing).toEqual([]);
  });

  it('quotes only test titles that are in the file it names', () => {
    const quoted = quotedTitles(DOMAIN_DOC);
    expect(quoted.length).toBeGreaterThan(50);
    const missing = quoted.filter(([file, title]) => !readFileSync(join(ROOT, file), 'utf8').replace(/\\'/g, "'").includes(title));
    expect(missing).toEqual([]);
  });
});
