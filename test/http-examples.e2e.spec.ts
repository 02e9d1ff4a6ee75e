import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Role } from '../src/auth/roles';
import { TestApp } from './support/app';
import { type HttpAnswer, parseHttpFile, substitute } from './support/http-file';

// Issue 13: examples/story.http walks the story of API.md per role, and runs here against a started service.
describe('examples/story.http against a started service (issue 13)', () => {
  let app: TestApp;
  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.close());

  it('every request answers the status the file states, inside the contract', async () => {
    const { variables, requests } = parseHttpFile(readFileSync(join(__dirname, '..', 'examples', 'story.http'), 'utf8'));
    expect(requests.length).toBeGreaterThanOrEqual(15);
    // the file's placeholders become a real base URL and a token per role
    variables.baseUrl = app.baseUrl;
    for (const role of ['cso', 'mobile', 'unit', 'backoffice', 'admin', 'listriqu', 'itsm'] as Role[]) variables[role] = await app.token(role, role === 'unit' ? '542' : undefined);
    const answers: Record<string, HttpAnswer> = {};
    const outcome: string[] = [];
    for (const request of requests) {
      const url = substitute(request.url, variables, answers);
      const headers = Object.fromEntries(request.headers.map(([name, value]) => [name.toLowerCase(), substitute(value, variables, answers)]));
      const token = headers.authorization?.replace(/^Bearer /, '');
      delete headers.authorization;
      const answer = await app.call(request.method, url.slice(app.baseUrl.length), undefined, {
        token,
        headers,
        rawBody: request.body === undefined ? undefined : substitute(request.body, variables, answers),
      });
      if (request.name) answers[request.name] = answer;
      outcome.push(`${request.title} → ${answer.status}${answer.status === request.expect ? '' : ` (expected ${request.expect}: ${JSON.stringify(answer.body)})`}`);
    }
    expect(outcome.filter((line) => line.includes('expected'))).toEqual([]);
  });
});
