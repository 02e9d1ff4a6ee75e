import { connect } from 'node:net';
import { TestApp } from './support/app';
import { gangguan, keluhan, registerUnits } from './support/fixtures';

// Issue 14 points 9, 20 and 21: input a client may send on purpose or by accident must be refused with
// the contract's 4xx problem+json (API.md conventions), never a 500 or a framework's own JSON.
describe('hostile input (API.md conventions)', () => {
  let app: TestApp;
  let number: string;
  beforeAll(async () => {
    app = await TestApp.start();
    await registerUnits(app, '542');
    number = (await app.as('cso').post('/api/v1/tickets', gangguan())).body.number;
  });
  afterAll(() => app.close());

  const expectProblem = (answer: { status: number; headers: Headers; body: any }, status: number, field?: string) => {
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.status).toBe(status);
    if (field) expect(answer.body.errors).toEqual([expect.objectContaining({ field })]);
  };

  describe('control characters (point 9)', () => {
    it('refuses NUL in a nested body string, naming the field', async () => {
      const answer = await app.as('cso').post('/api/v1/tickets', gangguan({ customer: { name: 'Bu\u0000di', phone: '081234567890' } }));
      expectProblem(answer, 400, 'customer.name');
    });

    it('refuses the other C0 controls, in strings of every route (an update note)', async () => {
      const answer = await app.as('cso').post(`/api/v1/tickets/${number}/updates`, { note: 'ada\u001bescape' });
      expectProblem(answer, 400, 'note');
    });

    it('keeps tab, line feed and carriage return', async () => {
      const answer = await app.as('cso').post(`/api/v1/tickets/${number}/updates`, { note: 'baris satu\r\nbaris\tdua' });
      expect(answer.status).toBe(201);
    });

    it('refuses NUL in a query parameter, naming it', async () => {
      const answer = await app.as('admin').get('/api/v1/tickets?unitCode=54%002');
      expectProblem(answer, 400, 'unitCode');
    });

    it('refuses %00 in a path parameter (point 20)', async () => {
      for (const path of [`/api/v1/tickets/G%00`, `/api/v1/tickets/${number}%00/events`, '/api/v1/escalations/%00/done']) {
        const answer = path.endsWith('done') ? await app.as('backoffice').post(path, {}) : await app.as('cso').get(path);
        expectProblem(answer, 400);
        expect(answer.body.errors[0].message).toMatch(/control characters/);
      }
    });
  });

  describe('structure and encoding (point 20)', () => {
    it('refuses JSON nested 2,000 levels deep before validation and the idempotency fingerprint', async () => {
      const deep = `${'['.repeat(2000)}${']'.repeat(2000)}`;
      const answer = await app.as('cso').post('/api/v1/tickets', undefined, {
        rawBody: `{"kind":"GANGGUAN","description":${deep}}`,
        headers: { 'content-type': 'application/json', 'idempotency-key': 'deep-1' },
      });
      expectProblem(answer, 400);
      expect(answer.body.errors[0].message).toMatch(/nested deeper/);
    });

    it('refuses a lone surrogate in a string (appProblem.email)', async () => {
      const body = JSON.stringify(
        keluhan({ problemType: 'LAIN_LAIN', subType: 'LAIN_LAIN', appProblem: { category: 'Login', email: 'x@y.id' } }),
      ).replace('x@y.id', 'x\\ud800@y.id');
      const answer = await app.as('cso').post('/api/v1/tickets', undefined, { rawBody: body, headers: { 'content-type': 'application/json' } });
      expectProblem(answer, 400, 'appProblem.email');
    });

    it.each([
      ['tickets', '/api/v1/tickets', 'admin'],
      ['escalations', '/api/v1/escalations', 'backoffice'],
      ['ITSM references', '/api/v1/itsm-references', 'admin'],
      ['ListriQu orders', '/api/v1/listriqu/orders', 'admin'],
    ] as const)('refuses a forged %s cursor with a date PostgreSQL cannot hold', async (_name, path, role) => {
      const forged = ['+275760-09-13T00:00:00.000Z', '-271821-04-20T00:00:00.000Z', '2026-11-23T01:00:00Z'];
      for (const at of forged) {
        const cursor = Buffer.from(JSON.stringify([at, path.includes('tickets') || path.includes('orders') ? 'G5420000000001' : '00000000-0000-4000-8000-000000000000'])).toString('base64url');
        expectProblem(await app.as(role).get(`${path}?cursor=${cursor}`), 400, 'cursor');
      }
    });
  });

  describe('media types and framework answers (point 21)', () => {
    it('answers 415 to a form-encoded body (POST /escalations)', async () => {
      const answer = await app.as('cso').post('/api/v1/escalations', undefined, {
        rawBody: 'category=URGENT&note=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expectProblem(answer, 415);
    });

    it('answers a path parameter over the length limit with 414 problem+json', async () => {
      expectProblem(await app.as('cso').get(`/api/v1/tickets/${'G'.repeat(600)}`), 414);
    });

    it('answers a URL Fastify cannot decode with 400 problem+json', async () => {
      expectProblem(await app.as('cso').get('/api/v1/tickets/%E0%A4%A'), 400);
    });

    it('answers headers over the limit with 431 problem+json', async () => {
      const port = new URL(app.baseUrl).port;
      const raw = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), '127.0.0.1', () => {
          socket.write(`GET /health/live HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
        });
        let data = '';
        socket.on('data', (chunk) => (data += chunk.toString()));
        socket.on('close', () => resolve(data));
        socket.on('error', reject);
      });
      expect(raw).toMatch(/^HTTP\/1\.1 431 /);
      expect(raw).toMatch(/content-type: application\/problem\+json/i);
      expect(JSON.parse(raw.slice(raw.indexOf('\r\n\r\n') + 4))).toMatchObject({ status: 431, type: expect.stringMatching(/request-header-fields-too-large$/) });
    });
  });
});
