import { FakeClock } from '../src/clock/clock';
import { signToken } from '../src/auth/jwt';
import { TEST_SECRET, TestApp } from './support/app';
import { ContractValidator, lint, measure } from './support/contract';
import { createTicket, gangguan, registerUnits } from './support/fixtures';

// Issue 13: the OpenAPI document is the contract integrators generate from; the HTTP semantics it names.
describe('issue 13: the contract and its HTTP semantics', () => {
  let app: TestApp;
  let doc: any;
  const clock = new FakeClock(new Date('2026-11-23T01:00:00Z'));
  beforeAll(async () => {
    app = await TestApp.start({ clock, config: { corsOrigins: ['http://localhost:5173'] } });
    doc = (await app.call('GET', '/docs-json')).body;
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  const operations = () =>
    Object.entries(doc.paths).flatMap(([path, item]: [string, any]) => Object.entries(item).map(([method, op]: [string, any]) => ({ path, method, op })));

  describe('the OpenAPI document', () => {
    it('passes spectral:oas (all rules, test/support/spectral-ruleset.ts) with no error and no warning', async () => {
      const findings = await lint(doc);
      expect(findings.map((f) => `${f.code} ${f.path.join('.')}: ${f.message}`)).toEqual([]);
    });

    it('names its server relative to where it is served, so that Try it out on /docs calls this service whatever its PORT', () => {
      expect(doc.servers).toEqual([{ url: '/', description: expect.any(String) }]);
    });

    it('names every operation with a verb, a summary, a description naming its roles, a tag and an example', () => {
      for (const { path, method, op } of operations()) {
        expect(op.operationId).toMatch(/^(get|list|create|put|update|move|add|remove|reReport|confirm|correct|report|claimNext|finish|rotate|resend|replay)[A-Z]\w+$/);
        expect(op.summary).toBeTruthy();
        expect(op.description).toMatch(/Roles: |Any role\.|No token\./);
        expect(op.tags?.length).toBeGreaterThan(0);
        const success = Object.entries(op.responses).filter(([s]) => s.startsWith('2'));
        expect(success.length).toBeGreaterThan(0);
        for (const [, answer] of success as [string, any][]) for (const [media, content] of Object.entries(answer.content ?? {}) as [string, any][]) expect([path, method, media, content.example]).not.toContainEqual(undefined);
        expect(op.responses['500'].content['application/problem+json'].schema).toEqual({ $ref: '#/components/schemas/Problem' });
      }
    });

    it('declares the problem answers, headers and parameters every operation shares', () => {
      const create = doc.paths['/api/v1/tickets'].post;
      expect(Object.keys(create.responses)).toEqual(expect.arrayContaining(['201', '400', '401', '403', '409', '413', '415', '422', '500']));
      expect(create.responses['201'].headers).toEqual(expect.objectContaining({ ETag: expect.anything(), 'Idempotent-Replayed': expect.anything(), 'X-Request-Id': expect.anything() }));
      expect(create.responses['401'].headers['WWW-Authenticate']).toBeDefined();
      expect(create.parameters).toEqual(expect.arrayContaining([{ $ref: '#/components/parameters/IdempotencyKey' }, { $ref: '#/components/parameters/XRequestId' }]));
      const move = doc.paths['/api/v1/tickets/{number}/status'].post;
      expect(move.operationId).toBe('moveTicketStatus');
      expect(move.parameters.map((p: any) => p.name ?? p.$ref)).toContain('If-Match');
      expect(Object.keys(move.responses)).toEqual(expect.arrayContaining(['200', '404', '409', '412']));
      const list = doc.paths['/api/v1/tickets'].get;
      expect(Object.keys(list.responses)).toEqual(expect.arrayContaining(['200', '304']));
      expect(list.parameters.map((p: any) => p.name)).toEqual(expect.arrayContaining(['unitCode', 'status', 'limit', 'cursor', 'If-None-Match']));
      expect(doc.paths['/api/v1/escalations/claim-next'].post.responses['204']).toBeDefined();
      expect(doc.paths['/api/v1/escalations/claim-next'].post.requestBody.required).toBe(false);
      // R-U3: a valid token holding none of the service's roles is 403 on every operation that takes one
      for (const { path, method, op } of operations().filter((o) => o.path.startsWith('/api/'))) expect([path, method, Object.keys(op.responses)]).toEqual([path, method, expect.arrayContaining(['401', '403'])]);
      expect(doc.components.securitySchemes.bearer.description).toMatch(/OpenID Connect.*OIDC_ISSUER.*HS256/);
    });

    it('describes the query parameters @QueryParams declares, with their types', () => {
      const params = doc.paths['/api/v1/escalations'].get.parameters.filter((p: any) => p.in === 'query');
      expect(params.map((p: any) => p.name)).toEqual(['status', 'category', 'limit', 'cursor']);
      expect(params.find((p: any) => p.name === 'limit').schema).toEqual(expect.objectContaining({ type: 'integer', minimum: 1, maximum: 200 }));
      expect(params.find((p: any) => p.name === 'status').schema.items.enum).toEqual(['OPEN', 'CLAIMED', 'DONE']);
    });

    it('has component schemas for every shape of API.md, with formats, enums and integers', () => {
      const schemas = doc.components.schemas;
      for (const name of ['Ticket', 'Event', 'Escalation', 'Order', 'ItsmReference', 'Policy', 'Unit', 'TicketPage', 'EscalationPage', 'OrderPage', 'ItsmReferencePage', 'ReReportAnswer', 'ConfirmationAnswer', 'Problem', 'FieldError']) {
        expect(schemas[name]).toBeDefined();
      }
      expect(schemas.Ticket.properties.customer.properties.province.enum.filter(Boolean)).toHaveLength(38);
      expect(schemas.Ticket.properties.reportedAt.format).toBe('date-time');
      expect(schemas.Ticket.properties.version.type).toBe('integer');
      expect(schemas.Problem.properties.errors.items).toEqual({ $ref: '#/components/schemas/FieldError' });
      expect(schemas.CreateTicketDto.properties.reportedAt.format).toBe('date-time');
      expect(schemas.CustomerDto.properties.province.enum).toHaveLength(38);
      expect(schemas.PutPolicyDto.properties.slaMinutes.type).toBe('integer');
      expect(schemas.StatusMoveDto.properties.status.enum).toEqual(['PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA', 'DIPROSES', 'SELESAI', 'BATAL']);
      for (const [name, schema] of Object.entries<any>(schemas)) if (name.endsWith('Dto')) expect([name, schema.additionalProperties]).toEqual([name, false]);
    });

    it('reports its size (issue 13 before: 19 schemas, 16 parameters, 28 declared statuses)', () => {
      const counts = measure(doc);
      expect(counts.schemas).toBeGreaterThan(19);
      expect(counts.parameters).toBeGreaterThan(16);
      expect(counts.declaredStatuses).toBeGreaterThan(28);
    });
  });

  describe('the validator every e2e answer goes through', () => {
    const validator = () => new ContractValidator(doc);
    const json = new Headers({ 'content-type': 'application/json', 'x-request-id': 'r' });
    it('refuses a status the operation does not declare', () => {
      expect(validator().check('GET', '/api/v1/units', 418, json, {})).toMatch(/does not declare/);
    });
    it('refuses a body that is not the declared shape, or has a field the document does not name', () => {
      expect(validator().check('GET', '/api/v1/units/542', 200, json, { code: '542', name: 'x' })).toMatch(/timeZone/);
      expect(validator().check('GET', '/api/v1/units/542', 200, json, { code: '542', name: 'x', timeZone: 'Asia/Jakarta', extra: 1 })).toMatch(/additional/);
      expect(validator().check('GET', '/api/v1/units/542', 200, json, { code: '542', name: 'x', timeZone: 'Asia/Jakarta', level: 'ULP', parentCode: null })).toBeUndefined();
    });
    it('refuses an answer without a header the document promises', () => {
      expect(validator().check('GET', '/api/v1/units/542', 200, new Headers({ 'content-type': 'application/json' }), { code: '542', name: 'x', timeZone: 'Asia/Jakarta' })).toMatch(/X-Request-Id/);
    });
  });

  describe('401 names the Bearer scheme (RFC 9110 §11.6.1, RFC 6750 §3)', () => {
    it('without a token: WWW-Authenticate: Bearer', async () => {
      const answer = await app.call('GET', '/api/v1/tickets');
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer');
    });
    it('with a refused token: error="invalid_token"', async () => {
      const answer = await app.call('GET', '/api/v1/tickets', undefined, { token: 'not.a.jwt' });
      expect(answer.status).toBe(401);
      expect(answer.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"');
    });
    it('R-U1 with a claim holding a NUL or another control character: 401, never a 500 (API.md Conventions)', async () => {
      for (const caller of [{ sub: 'agent-1', role: 'cso' as const, name: 'Bad\u0000Name' }, { sub: 'agent\u00001', role: 'cso' as const }, { sub: 'agent-1', role: 'cso' as const, name: 'bell\u0007' }]) {
        const answer = await app.call('GET', '/api/v1/units', undefined, { token: await signToken(TEST_SECRET, caller) });
        expect([answer.status, answer.headers.get('www-authenticate')]).toEqual([401, 'Bearer error="invalid_token"']);
      }
    });
    it('with another scheme (Basic): no error code, as without credentials (RFC 6750 §3.1)', async () => {
      const answer = await app.call('GET', '/api/v1/tickets', undefined, { headers: { authorization: 'Basic dXNlcjpwYXNz' } });
      expect([answer.status, answer.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
    });
    it('takes the scheme name in any case (RFC 9110 §11.1)', async () => {
      const token = await app.token('cso');
      for (const scheme of ['bearer', 'BEARER', 'Bearer']) {
        const answer = await app.call('GET', '/api/v1/units', undefined, { headers: { authorization: `${scheme} ${token}` } });
        expect([scheme, answer.status]).toEqual([scheme, 200]);
      }
      const refused = await app.call('GET', '/api/v1/units', undefined, { headers: { authorization: 'bearer not.a.jwt' } });
      expect([refused.status, refused.headers.get('www-authenticate')]).toEqual([401, 'Bearer error="invalid_token"']);
    });
  });

  describe('problem answers', () => {
    it('carry the request path as instance and a type documented in docs/problems.md', async () => {
      const answer = await app.as('cso').get('/api/v1/tickets/G5422026999999?x=1');
      expect(answer.status).toBe(400);
      expect(answer.body.instance).toBe('/api/v1/tickets/G5422026999999');
      const notFound = await app.as('cso').get('/api/v1/tickets/G5422026999999');
      expect(notFound.body).toEqual(expect.objectContaining({ status: 404, instance: '/api/v1/tickets/G5422026999999', type: 'https://apkt.pln.co.id/problems/not-found' }));
    });
    it('405 with Allow for a known path asked with a method it does not take', async () => {
      const token = await app.token('cso');
      const answer = await app.call('DELETE', '/api/v1/tickets', undefined, { token });
      expect(answer.status).toBe(405);
      expect(answer.headers.get('allow')).toMatch(/GET/);
      expect(answer.headers.get('allow')).toMatch(/POST/);
      expect(answer.body.type).toMatch(/method-not-allowed$/);
      expect((await app.call('DELETE', '/api/v1/nothing-here', undefined, { token })).status).toBe(404);
    });
  });

  describe('CORS (CORS_ORIGINS)', () => {
    const preflight = (origin: string) =>
      app.call('OPTIONS', '/api/v1/tickets', undefined, { headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'authorization, content-type, idempotency-key' } });
    it('answers a preflight from a listed origin 204 with the methods and headers a client sends', async () => {
      const answer = await preflight('http://localhost:5173');
      expect(answer.status).toBe(204);
      expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      expect(answer.headers.get('access-control-allow-methods')).toMatch(/POST/);
      expect(answer.headers.get('access-control-allow-headers')).toMatch(/Idempotency-Key/);
      expect(answer.headers.get('access-control-allow-headers')).toMatch(/If-Match/);
    });
    it('exposes ETag, X-Request-Id, Idempotent-Replayed and Location on answers to a listed origin', async () => {
      const answer = await app.as('cso').get('/api/v1/units', { headers: { origin: 'http://localhost:5173' } });
      expect(answer.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
      expect(answer.headers.get('access-control-expose-headers')).toBe('ETag, X-Request-Id, Idempotent-Replayed, Location');
    });
    it('says nothing to an origin it does not list', async () => {
      const answer = await preflight('http://evil.example');
      expect(answer.headers.get('access-control-allow-origin')).toBeNull();
      expect(answer.status).not.toBe(204);
    });
  });

  describe('ETag and conditional requests (RFC 9110 §8.8.3, §13.1.1, §13.1.2)', () => {
    const unit = () => app.as('unit', '542');
    const move = (number: string, status: string, ifMatch?: string) =>
      unit().post(`/api/v1/tickets/${number}/status`, { status }, ifMatch === undefined ? {} : { headers: { 'if-match': ifMatch } });

    it('a ticket answer carries its version as a strong ETag', async () => {
      const ticket = await createTicket(app, gangguan());
      const read = await unit().get(`/api/v1/tickets/${ticket.number}`);
      expect(read.headers.get('etag')).toBe('"1"');
      const moved = await move(ticket.number, 'PENUGASAN');
      expect(moved.headers.get('etag')).toBe('"2"');
    });

    it('If-Match: a weak tag never matches, * and lists do, garbage is 400, a bare version still works', async () => {
      const ticket = await createTicket(app, gangguan());
      expect((await move(ticket.number, 'PENUGASAN', 'W/"1"')).status).toBe(412);
      expect((await move(ticket.number, 'PENUGASAN', 'garbage')).status).toBe(400);
      expect((await move(ticket.number, 'PENUGASAN', '"3", "1"')).status).toBe(200);
      expect((await move(ticket.number, 'PERJALANAN', '*')).status).toBe(200);
      expect((await move(ticket.number, 'PENGERJAAN', '"1", "2"')).status).toBe(412);
      expect((await move(ticket.number, 'PENGERJAAN', '3')).status).toBe(200);
    });

    it('If-None-Match compares weakly: the strong form of the weak list ETag is 304', async () => {
      const first = await unit().get('/api/v1/tickets');
      const etag = first.headers.get('etag') as string;
      expect(etag).toMatch(/^W\//);
      expect((await unit().get('/api/v1/tickets', { headers: { 'if-none-match': etag.slice(2) } })).status).toBe(304);
    });
  });
});
