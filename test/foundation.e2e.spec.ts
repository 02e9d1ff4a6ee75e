import { SignJWT } from 'jose';
import { rootLogger } from '../src/logging/logger';
import { UnitsService } from '../src/units/units';
import { TestApp, TEST_SECRET } from './support/app';

// Issue 3: the HTTP conventions of API.md (auth, problem+json, request ids, operations endpoints).
describe('foundation over HTTP', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.close());

  const sign = (claims: Record<string, unknown>, secret = TEST_SECRET, exp: string | number = '1h') =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('someone').setExpirationTime(exp).sign(new TextEncoder().encode(secret));

  describe('operations', () => {
    it('is live and ready without a token', async () => {
      expect((await app.call('GET', '/health/live')).status).toBe(200);
      expect((await app.call('GET', '/health/ready')).status).toBe(200);
    });

    it('serves Prometheus metrics with the HTTP duration histogram and process defaults', async () => {
      await app.call('GET', '/health/live');
      const { status, body, headers } = await app.call<string>('GET', '/metrics');
      expect(status).toBe(200);
      expect(headers.get('content-type')).toMatch(/text\/plain/);
      expect(body).toMatch(/http_request_duration_seconds_bucket\{.*method="GET",route="\/health\/live",status_code="200"/);
      expect(body).toMatch(/process_cpu_user_seconds_total/);
    });

    it('serves the OpenAPI document and Swagger UI', async () => {
      const json = await app.call('GET', '/docs-json');
      expect(json.status).toBe(200);
      expect(json.body.openapi).toMatch(/^3\./);
      const create = json.body.paths['/api/v1/tickets'].post;
      expect(create.requestBody.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/CreateTicketDto' });
      const schema = json.body.components.schemas.CreateTicketDto;
      expect(schema.required).toEqual(expect.arrayContaining(['kind', 'unitCode', 'channel', 'customer', 'problemType', 'description']));
      expect(schema.properties.kind.enum).toEqual(['GANGGUAN', 'KELUHAN']);
      expect(Object.keys(json.body.paths)).toEqual(expect.arrayContaining(['/api/v1/escalations/claim-next', '/api/v1/itsm-references/{id}/status']));
      const ui = await app.call<string>('GET', '/docs');
      expect(ui.status).toBe(200);
      expect(ui.body).toMatch(/swagger/i);
    });
  });

  describe('request ids', () => {
    it('echoes a given X-Request-Id', async () => {
      const answer = await app.call('GET', '/health/live', undefined, { headers: { 'x-request-id': 'abc-123' } });
      expect(answer.headers.get('x-request-id')).toBe('abc-123');
    });

    it('generates one when absent or not visible ASCII up to 128 characters', async () => {
      const none = await app.call('GET', '/health/live');
      expect(none.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      const long = await app.call('GET', '/health/live', undefined, { headers: { 'x-request-id': 'x'.repeat(129) } });
      expect(long.headers.get('x-request-id')).not.toBe('x'.repeat(129));
      expect(long.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
    });
  });

  describe('structured logs', () => {
    it('write the request id in the line of every request and of an unexpected error', async () => {
      const level = rootLogger.level;
      rootLogger.level = 'info';
      const info = jest.spyOn(rootLogger, 'info').mockImplementation(() => undefined);
      const error = jest.spyOn(rootLogger, 'error').mockImplementation(() => undefined);
      const units = app.app.get(UnitsService);
      const failing = jest.spyOn(units, 'list').mockRejectedValueOnce(new Error('boom at /secret/path.ts:1'));
      try {
        await app.call('GET', '/health/live', undefined, { headers: { 'x-request-id': 'trace-me-1' } });
        const answer = await app.as('cso').get('/api/v1/units', { headers: { 'x-request-id': 'trace-me-2' } });
        expect(answer.status).toBe(500);
        expect(answer.body).toMatchObject({ status: 500, requestId: 'trace-me-2' });
        expect(JSON.stringify(answer.body)).not.toMatch(/boom|secret/);
        expect(info).toHaveBeenCalledWith(expect.objectContaining({ reqId: 'trace-me-1', statusCode: 200 }), 'request completed');
        expect(error).toHaveBeenCalledWith(expect.objectContaining({ reqId: 'trace-me-2' }), 'unhandled error');
        expect(info).toHaveBeenCalledWith(expect.objectContaining({ reqId: 'trace-me-2', statusCode: 500 }), 'request completed');
        // §18: a look-up's personal query values are not copied into the log (stop 54 audit)
        await app.as('cso').get('/api/v1/customers/history?phone=081299998888', { headers: { 'x-request-id': 'trace-me-3' } });
        expect(info).toHaveBeenCalledWith(expect.objectContaining({ reqId: 'trace-me-3', url: '/api/v1/customers/history?phone=…' }), 'request completed');
        expect(JSON.stringify(info.mock.calls)).not.toContain('081299998888');
      } finally {
        failing.mockRestore();
        info.mockRestore();
        error.mockRestore();
        rootLogger.level = level;
      }
    });
  });

  describe('errors are application/problem+json', () => {
    it('answers an unknown path 404', async () => {
      const answer = await app.call('GET', '/api/v1/nothing-here');
      expect(answer.status).toBe(404);
      expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(answer.body).toMatchObject({ status: 404, title: expect.any(String), type: expect.any(String), detail: expect.any(String) });
    });
  });

  describe('auth', () => {
    const path = '/api/v1/units';

    it('401 without a token', async () => {
      const answer = await app.call('GET', path);
      expect(answer.status).toBe(401);
      expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
    });

    it('401 for a forged, expired or malformed token', async () => {
      const forged = await sign({ role: 'admin' }, 'not-the-secret');
      const expired = await sign({ role: 'admin' }, TEST_SECRET, Math.floor(Date.now() / 1000) - 10);
      const noRole = await sign({});
      const unitWithoutCode = await sign({ role: 'unit' });
      for (const token of [forged, expired, noRole, unitWithoutCode, 'not.a.jwt']) {
        expect((await app.call('GET', path, undefined, { token })).status).toBe(401);
      }
      expect((await app.call('GET', path, undefined, { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    });

    it('403 for a role the endpoint does not list', async () => {
      const answer = await app.as('cso').put('/api/v1/units/999', { name: 'X' });
      expect(answer.status).toBe(403);
      expect(answer.body.status).toBe(403);
    });

    it('accepts a valid token', async () => {
      expect((await app.as('cso').get(path)).status).toBe(200);
    });
  });

  describe('bodies', () => {
    it('415 for a body that is not JSON', async () => {
      const answer = await app.as('admin').put('/api/v1/units/777', undefined, { rawBody: 'name=x', headers: { 'content-type': 'text/plain' } });
      expect(answer.status).toBe(415);
      expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
    });

    it('takes application/json with parameters (a charset of UTF-8, as many clients send it); another charset is 415', async () => {
      for (const type of ['application/json; charset=utf-8', 'application/json;charset=UTF-8', 'application/json; charset="utf-8"', 'APPLICATION/JSON ; charset=utf8']) {
        const answer = await app.as('admin').put('/api/v1/units/778', undefined, { rawBody: '{"name":"ULP Uji"}', headers: { 'content-type': type } });
        expect([type, answer.status]).toEqual([type, 200]);
      }
      const latin = await app.as('admin').put('/api/v1/units/778', undefined, { rawBody: '{"name":"ULP Uji"}', headers: { 'content-type': 'application/json; charset=iso-8859-1' } });
      expect([latin.status, latin.body.detail]).toEqual([415, 'The body must be application/json in UTF-8']);
      expect((await app.as('admin').put('/api/v1/units/778', undefined, { rawBody: '{"name":"x"}', headers: { 'content-type': 'application/jsonp' } })).status).toBe(415);
    });

    it('400 for malformed JSON', async () => {
      const answer = await app.as('admin').put('/api/v1/units/777', undefined, { rawBody: '{"name":', headers: { 'content-type': 'application/json' } });
      expect(answer.status).toBe(400);
      expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
    });

    it('413 for a body over 1 MiB', async () => {
      const answer = await app.as('admin').put('/api/v1/units/777', { name: 'x'.repeat(1024 * 1024) });
      expect(answer.status).toBe(413);
      expect(answer.headers.get('content-type')).toMatch(/problem\+json/);
    });

    it('400 naming an unknown field', async () => {
      const answer = await app.as('admin').put('/api/v1/units/777', { name: 'Unit', colour: 'red' });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'colour' })]));
    });

    it('400 naming a field of the wrong JSON type (no coercion)', async () => {
      const answer = await app.as('admin').put('/api/v1/units/777', { name: 42 });
      expect(answer.status).toBe(400);
      expect(answer.body.errors).toEqual(expect.arrayContaining([expect.objectContaining({ field: 'name' })]));
    });
  });
});
