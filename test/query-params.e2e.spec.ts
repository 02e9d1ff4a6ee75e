import { TestApp } from './support/app';
import { registerUnits } from './support/fixtures';

// API.md conventions: unknown query parameters are rejected (400 naming the parameter), so a filter the
// service does not know is never silently ignored (issue 14 point 10).
describe('unknown query parameters', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
    await registerUnits(app, '542');
  });
  afterAll(() => app.close());

  it.each([
    ['cso', '/api/v1/tickets?unitCode=542&frobnicate=1', 'frobnicate'],
    ['backoffice', '/api/v1/escalations?status=OPEN&unitCode=542', 'unitCode'],
    ['cso', '/api/v1/itsm-references?email=x', 'email'],
    ['listriqu', '/api/v1/listriqu/orders?unitCode=542', 'unitCode'],
    ['cso', '/api/v1/units?x=1', 'x'],
    ['cso', '/api/v1/tickets/G5422026000001?verbose=true', 'verbose'],
  ] as const)('%s %s → 400 naming %s', async (role, path, name) => {
    const answer = await app.as(role).get(path);
    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(answer.body.errors).toEqual([expect.objectContaining({ field: name })]);
  });

  it('keeps the known parameters working', async () => {
    expect((await app.as('cso').get('/api/v1/tickets?unitCode=542&limit=5')).status).toBe(200);
    expect((await app.as('backoffice').get('/api/v1/escalations?status=OPEN')).status).toBe(200);
  });

  it('answers 401 before looking at the query', async () => {
    expect((await app.call('GET', '/api/v1/tickets?frobnicate=1')).status).toBe(401);
  });
});
