import { TestApp } from './support/app';
import type { Doc } from './support/contract';
import { gangguan, registerUnits } from './support/fixtures';

type BodyOperation = { method: string; template: string; role: string; firstField: string };

/** Every operation of the served document that takes a body, with a role it admits and one of its body's fields. */
function bodyOperations(doc: Doc): BodyOperation[] {
  const schemaOf = (op: any) => {
    const schema = op.requestBody.content['application/json'].schema;
    return schema.$ref ? doc.components!.schemas![schema.$ref.split('/').pop()] : schema;
  };
  return Object.entries(doc.paths).flatMap(([template, item]) =>
    Object.entries(item)
      .filter(([, op]) => op?.requestBody)
      .map(([method, op]) => ({ method: method.toUpperCase(), template, role: op['x-roles']?.[0] ?? 'admin', firstField: Object.keys(schemaOf(op).properties ?? { note: {} })[0] })),
  );
}

// API.md conventions: `__proto__`, and `constructor` holding a `prototype`, at any depth → 400 naming
// the field, like any unknown field (secure-json-parse refuses them while parsing; issue 24).
describe('prototype-poisoning keys in every body (API.md conventions)', () => {
  let app: TestApp;
  let operations: BodyOperation[];
  beforeAll(async () => {
    app = await TestApp.start();
    await registerUnits(app, '542');
    operations = bodyOperations((await (await fetch(`${app.baseUrl}/docs-json`)).json()) as Doc);
  });
  afterAll(() => app.close());

  const cases = (field: string): [string, string, string][] => [
    ['top-level __proto__', '{"__proto__":{"admin":true}}', '__proto__'],
    ['top-level constructor.prototype', '{"constructor":{"prototype":{"x":1}}}', 'constructor'],
    ['escaped \\u005f_proto__', '{"\\u005f_proto__":{"admin":true}}', '__proto__'],
    ['nested __proto__', `{"${field}":{"__proto__":{"admin":true}}}`, `${field}.__proto__`],
    ['nested constructor.prototype', `{"${field}":{"a":{"constructor":{"prototype":{"x":1}}}}}`, `${field}.a.constructor`],
    ['__proto__ inside an array', `{"${field}":[1,{"__proto__":{"admin":true}}]}`, `${field}[1].__proto__`],
    ['constructor.prototype inside an array', `{"${field}":[{"constructor":{"prototype":{}}}]}`, `${field}[0].constructor`],
    ['a body that is an array', '[{"__proto__":{}}]', '[0].__proto__'],
  ];

  it('covers every operation with a request body', () => {
    expect(operations.length).toBeGreaterThanOrEqual(17);
  });

  it('answers 400 problem+json naming the field, for every case on every operation', async () => {
    const failures: string[] = [];
    let checked = 0;
    for (const op of operations) {
      const path = op.template.replace(/\{[^}]+\}/g, 'X1');
      const caller = await app.token(op.role as any);
      for (const [name, rawBody, field] of cases(op.firstField)) {
        const answer = await app.call(op.method, path, undefined, { token: caller, rawBody, headers: { 'content-type': 'application/json', 'if-match': '"1"' } });
        checked++;
        const ok =
          answer.status === 400 &&
          /^application\/problem\+json/.test(answer.headers.get('content-type') ?? '') &&
          answer.body.type?.endsWith('validation-failed') &&
          answer.body.errors?.some((e: any) => e.field === field);
        if (!ok) failures.push(`${op.method} ${op.template} ${name}: ${answer.status} ${JSON.stringify(answer.body)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(operations.length * 8);
  });

  it('refuses the issue\'s own examples on an otherwise valid POST /api/v1/tickets (201 before)', async () => {
    const valid = JSON.stringify(gangguan()).slice(1, -1);
    for (const [extra, field] of [
      ['"__proto__":{"admin":true}', '__proto__'],
      ['"constructor":{"prototype":{"x":1}}', 'constructor'],
      ['"customer":{"name":"Budi","phone":"081234567890","__proto__":{"admin":true}}', 'customer.__proto__'],
    ]) {
      const answer = await app.as('cso').post('/api/v1/tickets', undefined, { rawBody: `{${valid},${extra}}`, headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual([expect.objectContaining({ field })]);
    }
  });

  it('refuses a plain field named constructor (class-transformer would drop it silently) as an unknown field', async () => {
    const answer = await app.as('cso').post('/api/v1/tickets', { ...gangguan(), constructor: 'x' });
    expect(answer.status).toBe(400);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: 'constructor' })]);
  });
});
