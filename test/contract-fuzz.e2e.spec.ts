import fc from 'fast-check';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import type { Role } from '../src/auth/roles';
import { TestApp } from './support/app';
import { strictJsonSchema, type Doc } from './support/contract';
import { gangguan, registerUnits } from './support/fixtures';
import { SchemaArbitraries, type Schema } from './support/schema-arbitrary';

// Issue 24: a property-based contract fuzzer over the served document. For every operation and every
// role of its `x-roles`: no 5xx; every answer as documented (TestApp.call checks status, headers and
// body); every input the document calls valid not refused with 400; every input it refuses (one
// mutation of a valid one) a 4xx problem+json. The counts are in docs/rules-hardening.md.
const RUNS = 6; // valid inputs per operation and role; each also yields its mutations (capped below)
const MUTATIONS = 6;
const SEED = Number(process.env.FUZZ_SEED ?? 24); // fixed so a run is reproducible; FUZZ_SEED=n explores others
const ALL_ROLES: Role[] = ['cso', 'mobile', 'unit', 'backoffice', 'admin', 'listriqu', 'itsm'];
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
// Long-lived answers (server-sent events) are tested in change-feed.e2e.spec.ts.
const SKIPPED = new Set(['GET /api/v1/ticket-changes/stream']);

type Input = { path: string; query: Record<string, string | string[]>; body?: unknown; headers: Record<string, string> };

describe('contract fuzzer: the document and the service agree both ways (issue 24)', () => {
  let app: TestApp;
  let doc: Doc;
  const known: Record<string, string[]> = {};
  let stats = { operations: 0, pairs: 0, valid: 0, invalid: 0 };

  // R-H1: a UID and a UP3 beneath it, for the parents a PUT of a unit may name
  const TREE = { UID: '54', UP3: '5401' } as const;

  beforeAll(async () => {
    // R-W6: a webhook's host may be internal only when WEBHOOK_ALLOWED_HOSTS names it (its URLs are steered there)
    app = await TestApp.start({ config: { webhookAllowedHosts: ['127.0.0.1'] } });
    await registerUnits(app, '542', '543');
    for (const [level, code] of Object.entries(TREE)) {
      const answer = await app.as('admin').put(`/api/v1/units/${code}`, { name: `${level} ${code}`, level, parentCode: level === 'UP3' ? TREE.UID : null });
      if (answer.status !== 200) throw new Error(`unit ${code}: ${answer.status} ${JSON.stringify(answer.body)}`);
    }
    doc = (await (await fetch(`${app.baseUrl}/docs-json`)).json()) as Doc;
    const ticket = (await app.as('cso').post('/api/v1/tickets', gangguan())).body;
    const outage = (await app.as('unit').post('/api/v1/outages', { unitCode: '542', title: 'Gardu padam', cause: 'Trafo rusak', area: 'Jl. Merdeka', etr: null })).body;
    known.number = [ticket.number];
    known.ticketNumber = [ticket.number];
    known.code = ['542'];
    known['/api/v1/outages id'] = [outage.id];
  });
  afterAll(() => app.close());

  // Values that hold in the service's state and clock as well as in the document (whose descriptions
  // and API.md state these rules): registered units, existing tickets, a status move's time not before
  // the ticket's latest event, a visit date not in the past, a report's `to` not before its `from`, a
  // webhook URL whose host R-W6 lets in, the access log's times (R-P1: date-times, `to` after `from`).
  // Opaque tokens (cursor, after) are only ever the server's own, so they are left out.
  const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  const time = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString();
  const overrides = (name: string, role: Role): Record<string, fc.Arbitrary<unknown>> => ({
    ticketNumber: fc.constantFrom(...known.number),
    occurredAt: fc.constant(0).map(() => new Date(Date.now() + 60_000).toISOString()),
    preferredVisitDate: fc.integer({ min: 1, max: 30 }).map(day),
    from: fc.integer({ min: -60, max: -31 }).map(day),
    to: fc.integer({ min: -30, max: 0 }).map(day),
    unitCode: fc.constantFrom('542', '543'),
    referenceNumber: fc.constantFrom(...known.number),
    cursor: fc.constant(undefined),
    after: fc.constant(undefined),
    // API.md "Create": woType, iml, komporInduksi, appProblem and callbackAt are only for their rules'
    // cases (R-I2, R-K2/R-K3, R-A1…R-A4); PLN Mobile creates on its own channel
    ...(name === 'POST /api/v1/tickets'
      ? { woType: fc.constant(undefined), iml: fc.constant(undefined), komporInduksi: fc.constant(undefined), appProblem: fc.constant(undefined), callbackAt: fc.constant(undefined), ...(role === 'mobile' ? { channel: fc.constant('PLN_MOBILE') } : {}) }
      : {}),
    ...(name.endsWith('/iml-corrections') ? { preferredVisitDate: fc.constant(undefined) } : {}), // only for EDIT of an IML ticket
    // R-W6: https, and a host that is not internal unless WEBHOOK_ALLOWED_HOSTS names it (127.0.0.1 here; nothing listens on port 9)
    // R-W1 (API.md: `[string] | ["*"]`, units registered): "*" alone or a list of types; registered unit codes
    ...(name.includes('/webhooks')
      ? {
          url: fc.stringMatching(/^[a-z0-9]{1,12}$/).map((path) => `https://127.0.0.1:9/${path}`),
          eventTypes: fc.oneof(fc.constant(['*']), fc.subarray(['ticket.created', 'ticket.status_changed', 'ticket.re_reported', 'ticket.sla_breached', 'ticket.closed', 'escalation.created', 'escalation.done', 'outage.created', 'outage.status_changed', 'outage.etr_changed'], { minLength: 1 })),
          unitCodes: fc.subarray(['542', '543', TREE.UP3, TREE.UID]),
        }
      : {}),
    // R-P1: the access log's from/to are times (date-time), `to` after `from`
    ...(name.endsWith('/access-log') ? { from: fc.integer({ min: -60, max: -31 }).map(time), to: fc.integer({ min: -30, max: 0 }).map(time) } : {}),
    // R-H1: a parent is a registered unit (else 400); which level it must have is set by completeBody
    ...(name === 'PUT /api/v1/units/{code}' ? { parentCode: fc.constantFrom(TREE.UID, TREE.UP3) } : {}),
  });
  // Cross-field rules the schema can only say in its descriptions: a status move's unitAnswer for
  // SELESAI and reason for BATAL (R-T4, R-T5); at create (API.md "Create") a customer's name and phone
  // (except an IML report of a customer who will not pay), and the back office creates only follow-ups (R-E4);
  // a unit's parent one level up (R-H1: a ULP's a UP3, a UP3's a UID, a UID none; a wrong one is 409).
  // The unit put is 542, a ULP with tickets: its level stays (a change is 409, R-H1/R-H4), its code fits any level.
  const completeBody = (name: string, role: Role, body: any) => {
    if (name === 'PUT /api/v1/units/{code}' && typeof body?.parentCode === 'string')
      return { ...body, parentCode: ({ ULP: TREE.UP3, UP3: TREE.UID, UID: null } as const)[(body.level ?? 'ULP') as 'ULP' | 'UP3' | 'UID'] };
    const move = /\/(tickets|outages)\/\{\w+\}\/status$/.test(name);
    if (move && body?.status === 'SELESAI') return { unitAnswer: 'Trafo diganti', ...body };
    if (move && body?.status === 'BATAL') return { reason: 'Pelanggan membatalkan', ...body };
    if (name !== 'POST /api/v1/tickets') return body;
    const customer = { name: 'Budi', phone: '081234567890', ...body.customer };
    return { ...body, customer, ...(role === 'backoffice' ? { referenceNumber: known.number[0] } : {}) };
  };

  const knownValue = (template: string, name: string) => {
    const values = known[name] ?? Object.entries(known).find(([key]) => key.endsWith(` ${name}`) && template.startsWith(key.split(' ')[0]))?.[1];
    return values?.length ? fc.constantFrom(...values) : undefined;
  };

  const request = async (method: string, role: Role, input: Input) => {
    const search = new URLSearchParams();
    for (const [k, v] of Object.entries(input.query)) for (const item of ([] as string[]).concat(v)) if (item !== undefined) search.append(k, item);
    const url = input.path + (search.size ? `?${search}` : '');
    try {
      return { url, answer: await app.call(method, url, input.body, { token: await app.token(role), headers: input.headers }) };
    } catch (error) {
      return { url, error: (error as Error).message.slice(0, 600) };
    }
  };

  it('accepts a null customer.idPel and meterNumber, which the document calls nullable (400 before)', async () => {
    const answer = await app.as('cso').post('/api/v1/tickets', gangguan({ customer: { name: 'Budi', phone: '081234567890', idPel: null, meterNumber: null } }));
    expect(answer.status).toBe(201);
    expect(answer.body.customer.idPel).toBeNull();
  });

  it('finds no disagreement on any operation, for any role', async () => {

    const ajv = new Ajv({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(strictJsonSchema(JSON.parse(JSON.stringify({ components: doc.components }).replace(/#\/components/g, 'doc#/components'))), 'doc');
    const failures: string[] = [];
    const parameterOf = (p: any) => (p.$ref ? (doc.components as any).parameters[p.$ref.split('/').pop()] : p);

    for (const [template, item] of Object.entries(doc.paths)) {
      for (const method of METHODS.filter((m) => item[m])) {
        const op = item[method];
        const name = `${method.toUpperCase()} ${template}`;
        if (SKIPPED.has(name)) continue;
        stats.operations++;
        const parameters = (op.parameters ?? []).map(parameterOf).filter((p: any) => p.in === 'query' || p.in === 'path');
        const pathParams = parameters.filter((p: any) => p.in === 'path');
        const queryParams = parameters.filter((p: any) => p.in === 'query');
        const bodySchema: Schema | undefined = op.requestBody?.content?.['application/json']?.schema;
        const validBody = bodySchema && ajv.compile(strictJsonSchema(JSON.parse(JSON.stringify(bodySchema).replace(/#\/components/g, 'doc#/components'))));
        const roles: Role[] = op['x-roles'] ?? ALL_ROLES;
        for (const role of roles) {
        const arbitraries = new SchemaArbitraries(doc.components!.schemas!, overrides(name, role));
        const input = fc.record({
          path: fc.tuple(...pathParams.map((p: any) => knownValue(template, p.name) ?? arbitraries.valid(p.schema, p.name))).map((values) =>
            pathParams.reduce((path: string, p: any, i: number) => path.replace(`{${p.name}}`, encodeURIComponent(String(values[i]))), template),
          ),
          query: queryArbitrary(queryParams, op['x-exactly-one-of'], (p) => arbitraries.valid(p.schema, p.name)),
          body: bodySchema ? arbitraries.valid(bodySchema) : fc.constant(undefined),
        });
          stats.pairs++;
          for (const sample of fc.sample(input, { numRuns: RUNS, seed: SEED + stats.pairs })) {
            const valid = { ...sample, body: completeBody(name, role, sample.body), headers: {} } as Input;
            if (validBody && !validBody(valid.body)) {
              failures.push(`generator: ${name} drew a body the document refuses: ${ajv.errorsText(validBody.errors)}`);
              continue;
            }
            stats.valid++;
            const { url, answer, error } = await request(method.toUpperCase(), role, valid);
            if (error) failures.push(`${name} as ${role} (valid ${url}): ${error}`);
            else if (answer!.status >= 500 || answer!.status === 400)
              failures.push(`${name} as ${role}: a valid input answered ${answer!.status} ${JSON.stringify(answer!.body).slice(0, 300)} — ${url} ${JSON.stringify(valid.body)}`);
            const mutated = [
              ...(bodySchema ? arbitraries.mutations(bodySchema, valid.body).map((m) => ({ where: m.where, input: { ...valid, body: m.value } })) : []),
              ...queryParams.flatMap((p: any) => {
                const wrong = invalidQueryValue(arbitraries.resolve(p.schema));
                return wrong === undefined ? [] : [{ where: `query ${p.name}: wrong value`, input: { ...valid, query: { ...valid.query, [p.name]: wrong } } }];
              }),
              ...(template.startsWith('/api/') ? [{ where: 'query: an unknown parameter', input: { ...valid, query: { ...valid.query, unknownParameter: '1' } } }] : []), // API.md's rule; the probes are not API
            ];
            for (const { where, input: bad } of fc.sample(fc.shuffledSubarray(mutated, { minLength: Math.min(MUTATIONS, mutated.length), maxLength: Math.min(MUTATIONS, mutated.length) }), { numRuns: 1, seed: SEED + stats.valid })[0]) {
              stats.invalid++;
              const result = await request(method.toUpperCase(), role, bad as Input);
              if (result.error) failures.push(`${name} as ${role} (${where}): ${result.error}`);
              else if (result.answer!.status < 400 || result.answer!.status >= 500 || !/problem\+json/.test(result.answer!.headers.get('content-type') ?? ''))
                failures.push(`${name} as ${role}: an invalid input (${where}) answered ${result.answer!.status} — ${result.url} ${JSON.stringify((bad as Input).body)?.slice(0, 300)}`);
            }
          }
        }
      }
    }
    process.stdout.write(`contract fuzzer: ${JSON.stringify(stats)}\n`);
    const distinct = [...new Map(failures.map((f) => [f.replace(/ as \w+/, "").split(" — ")[0].slice(0, 200), f])).values()];
    expect(distinct.slice(0, 80)).toEqual([]);
  }, 120_000);
});

const asQueryValue = (v: unknown) => (v === undefined ? undefined : Array.isArray(v) ? v.join(',') : String(v));

/** The query: required parameters always, optional ones or not, and exactly one of an `x-exactly-one-of` group. */
function queryArbitrary(params: any[], exactlyOne: string[] | undefined, valueOf: (p: any) => fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, string>> {
  const value = (p: any) => valueOf(p).map(asQueryValue);
  const free = params.filter((p) => !exactlyOne?.includes(p.name));
  const record: Record<string, fc.Arbitrary<string | undefined>> = Object.fromEntries(free.map((p) => [p.name, value(p)]));
  const rest = fc.record(record, { requiredKeys: free.filter((p) => p.required).map((p) => p.name) as never[] });
  if (!exactlyOne?.length) return rest as fc.Arbitrary<Record<string, string>>;
  const one = fc.oneof(...params.filter((p) => exactlyOne.includes(p.name)).map((p) => value(p).map((v) => ({ [p.name]: v }))));
  return fc.tuple(rest, one).map(([a, b]) => ({ ...a, ...b }) as Record<string, string>);
}

/** A value the parameter's schema refuses; undefined when it takes any string. */
function invalidQueryValue(schema: Schema): string | undefined {
  if (schema.type === 'integer') return '1.5';
  if (schema.type === 'array' || schema.enum) return 'NOT_IN_THE_ENUM';
  if (schema.format) return '2026-02-30';
  if (schema.pattern) return 'x!';
  if (schema.maxLength !== undefined) return 'x'.repeat(schema.maxLength + 1);
  if (schema.minLength) return '';
  return undefined;
}
