import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { signToken } from '../../src/auth/jwt';
import { Role } from '../../src/auth/roles';
import { Clock } from '../../src/clock/clock';
import { AppConfig } from '../../src/config/config';
import { createApp, shutdown } from '../../src/create-app';
import { ContractValidator, type Doc } from './contract';
import { ADMIN_ENV, dropDatabase, freshDatabase } from './database';

export const TEST_SECRET = 'test-secret-for-the-e2e-suite';

export interface Answer<T = any> {
  status: number;
  headers: Headers;
  body: T;
}

export interface CallOptions {
  token?: string | null;
  headers?: Record<string, string>;
  rawBody?: string;
}

/** One running service over HTTP on its own fresh database, as a client sees it. */
export class TestApp {
  private contract?: Promise<ContractValidator>;

  private constructor(
    readonly app: NestFastifyApplication,
    readonly baseUrl: string,
    readonly databaseUrl: string,
  ) {}

  static async start(options: { clock?: Clock; config?: Partial<AppConfig>; databaseUrl?: string } = {}): Promise<TestApp> {
    const databaseUrl = options.databaseUrl ?? (await freshDatabase());
    const config: AppConfig = {
      databaseUrl,
      port: 0,
      host: '127.0.0.1',
      jwtSecret: TEST_SECRET,
      jobsEnabled: false,
      jobsIntervalMs: 1000,
      migrateOnStart: false,
      escalationLeaseMs: 900000,
      dbPoolSize: 20,
      dbPoolWaitMs: 10000,
      dbStatementTimeoutMs: 20000,
      ...options.config,
    };
    const app = await createApp(config, { clock: options.clock });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.getHttpServer().address() as { port: number };
    return new TestApp(app, `http://127.0.0.1:${address.port}`, databaseUrl);
  }

  async close(options: { dropDatabase?: boolean } = { dropDatabase: true }): Promise<void> {
    await shutdown(this.app);
    if (options.dropDatabase && process.env[ADMIN_ENV]) await dropDatabase(process.env[ADMIN_ENV], this.databaseUrl).catch(() => undefined);
  }

  token(role: Role, unit?: string, sub = `test-${role}${unit ? `-${unit}` : ''}`): Promise<string> {
    return signToken(TEST_SECRET, { sub, role, unit: unit ?? (role === 'unit' ? '542' : undefined) });
  }

  async call<T = any>(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let payload: string | undefined = options.rawBody;
    if (body !== undefined) {
      payload = JSON.stringify(body);
      headers['content-type'] ??= 'application/json';
    }
    const response = await fetch(this.baseUrl + path, { method, headers, body: payload });
    const text = await response.text();
    let parsed: unknown = text;
    if (/json/.test(response.headers.get('content-type') ?? '') && text) parsed = JSON.parse(text);
    // issue 13: every answer a test receives is one the OpenAPI document describes
    const mismatch = (await this.validator()).check(method, path, response.status, response.headers, parsed);
    if (mismatch) throw new Error(`Answer outside the contract: ${mismatch}\n${text.slice(0, 2000)}`);
    return { status: response.status, headers: response.headers, body: parsed as T };
  }

  /** The validator over this app's own /docs-json. */
  validator(): Promise<ContractValidator> {
    this.contract ??= fetch(`${this.baseUrl}/docs-json`).then(async (r) => new ContractValidator((await r.json()) as Doc));
    return this.contract;
  }

  /** A caller bound to one role: `as('cso').post('/api/v1/tickets', body)`. */
  as(role: Role, unit?: string) {
    const tokenPromise = this.token(role, unit);
    const go = async <T = any>(method: string, path: string, body?: unknown, options: CallOptions = {}) =>
      this.call<T>(method, path, body, { token: await tokenPromise, ...options });
    return {
      get: <T = any>(path: string, options?: CallOptions) => go<T>('GET', path, undefined, options),
      post: <T = any>(path: string, body?: unknown, options?: CallOptions) => go<T>('POST', path, body, options),
      put: <T = any>(path: string, body?: unknown, options?: CallOptions) => go<T>('PUT', path, body, options),
    };
  }
}
