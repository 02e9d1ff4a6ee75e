import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Role } from '../src/auth/roles';
import { TestApp } from './support/app';

// Issue 13: a client generated from /docs-json types a workflow of every role with no cast, and runs it.
const root = join(__dirname, '..');
const exampleDir = join(root, 'examples', 'client');
const run = promisify(execFile);

describe('issue 13: the generated TypeScript client (examples/client)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
    const document = join(tmpdir(), `apkt-docs-${process.pid}.json`);
    writeFileSync(document, JSON.stringify((await app.call('GET', '/docs-json')).body));
    mkdirSync(join(exampleDir, 'generated'), { recursive: true });
    await run(process.execPath, [join(root, 'node_modules', 'openapi-typescript', 'bin', 'cli.js'), document, '-o', join(exampleDir, 'generated', 'api.d.ts')], { cwd: root });
  });
  afterAll(() => app.close());

  it('type-checks under strict with no cast', async () => {
    const source = readFileSync(join(exampleDir, 'workflow.ts'), 'utf8');
    expect(source.match(/\bas (?!const\b)\w+/g) ?? []).toEqual([]);
    expect(source).not.toMatch(/<any>|: any\b|@ts-/);
    const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
    const result = await run(process.execPath, [tsc, '-p', join(exampleDir, 'tsconfig.json')], { cwd: root }).then(
      () => '',
      (error: { stdout?: string }) => error.stdout ?? String(error),
    );
    expect(result).toBe('');
  });

  it('runs against the service: every role, every answer inside the contract', async () => {
    // required at run time: the example imports types generated above, which the project's typecheck never sees
    const { workflow } = require(join(exampleDir, 'workflow')) as {
      workflow: (baseUrl: string, tokenOf: (role: Role) => Promise<string>, fetchImpl: typeof fetch) => Promise<Record<string, unknown> & { policies: number }>;
    };
    // the same fetch as the other tests, so that each answer is also validated against the document
    const validator = await app.validator();
    const checked: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      const text = await response.clone().text();
      const body = /json/.test(response.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text;
      const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
      const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
      const mismatch = validator.check(method, url.pathname, response.status, response.headers, body);
      if (mismatch) throw new Error(mismatch);
      return response;
    };
    const outcome = await workflow(app.baseUrl, (role) => app.token(role), checked);
    expect(outcome).toMatchObject({
      notModified: true,
      ticketEtag: '"1"',
      preconditionFailed: 412,
      history: ['CREATED', 'STATUS_CHANGED', 'STATUS_CHANGED'],
      confirmed: 'DITUTUP',
      newTicketNumber: null,
      finished: 'DONE',
      order: 'ORDER',
      itsmStatus: 'ACTIVE',
    });
    expect(outcome.policies).toBeGreaterThan(0);
  });
});
