import { fork, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { importJWK, SignJWT, type JWK, type JWTPayload } from 'jose';

export interface ProviderClient {
  client_id: string;
  client_secret: string;
  /** claims the provider adds to this client's access tokens (roles, unit …) */
  claims?: Record<string, unknown>;
}

export interface ProviderOptions {
  /** a path after the origin, e.g. `/<tenant>/v2.0` for an issuer shaped like Entra ID's */
  issuerPath?: string;
  audience?: string;
  alg?: 'RS256' | 'PS256' | 'ES256' | 'EdDSA';
  clients?: ProviderClient[];
}

type SigningKey = JWK & { kid: string; alg: string };

/**
 * A real OpenID Connect provider (test/support/oidc-provider.mjs, oidc-provider in a child process: it
 * is ESM-only, which Jest's CommonJS cannot require) on a free loopback port.
 */
export class TestProvider {
  private constructor(
    private readonly child: ChildProcess,
    readonly issuer: string,
    readonly origin: string,
  ) {}

  static start(options: ProviderOptions = {}): Promise<TestProvider> {
    const child = fork(join(__dirname, 'oidc-provider.mjs'), [JSON.stringify(options)], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: [] });
    // its own warnings (Node 20 is not an LTS it lists; the in-memory adapter) are expected here
    child.stderr?.on('data', (chunk: Buffer) => {
      const lines = chunk.toString().split('\n').filter((line) => line.trim() && !line.startsWith('oidc-provider WARNING'));
      if (lines.length) process.stderr.write(`${lines.join('\n')}\n`);
    });
    return new Promise((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the test provider exited (${code})`)));
      child.once('message', (message: { port: number; issuer: string }) =>
        resolve(new TestProvider(child, message.issuer, `http://127.0.0.1:${message.port}`)),
      );
    });
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    await exited;
  }

  private async admin<T = any>(action: string, body?: unknown): Promise<T> {
    const response = await fetch(`${this.origin}/__admin/${action}`, { method: body === undefined ? 'GET' : 'POST', body: body === undefined ? undefined : JSON.stringify(body) });
    if (!response.ok) throw new Error(`admin ${action}: ${response.status} ${await response.text()}`);
    return (await response.json()) as T;
  }

  /** How often the discovery document, the key set and the token endpoint were asked for. */
  async counts(): Promise<{ discovery: number; jwks: number; token: number }> {
    return (await this.admin('state')).counts;
  }

  resetCounts(): Promise<unknown> {
    return this.admin('reset-counts', {});
  }

  /** The provider's keys, the one it signs with first. */
  async keys(): Promise<SigningKey[]> {
    return (await this.admin('state')).keys;
  }

  /** A new signing key (the old ones stay published unless dropOld); returns its kid. */
  async rotate(options: { alg?: string; dropOld?: boolean } = {}): Promise<string> {
    return (await this.admin<{ kid: string }>('rotate', options)).kid;
  }

  /** Every request but /__admin has its connection dropped until up(). */
  /** A new signing key, published only at `path`, which the discovery document's jwks_uri now names. */
  async moveKeySet(path: string): Promise<string> {
    return (await this.admin<{ kid: string }>('move-jwks', { path })).kid;
  }

  down(): Promise<unknown> {
    return this.admin('down', {});
  }

  up(): Promise<unknown> {
    return this.admin('up', {});
  }

  /** An access token from the token endpoint by the client-credentials grant (R-U4). */
  async clientCredentials(clientId: string, clientSecret: string): Promise<string> {
    const discovery = (await (await fetch(`${this.issuer}/.well-known/openid-configuration`)).json()) as { token_endpoint: string };
    const response = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: clientSecret, scope: 'api' }),
    });
    const body = (await response.json()) as { access_token?: string; error?: string; error_description?: string };
    if (!body.access_token) throw new Error(`token endpoint: ${response.status} ${body.error}: ${body.error_description}`);
    return body.access_token;
  }

  /**
   * A token signed with one of the provider's own keys (the current one unless `kid`), with the claims
   * given: issuer, audience and a 5-minute lifetime unless the claims say otherwise.
   */
  async sign(claims: JWTPayload, options: { kid?: string; audience?: string } = {}): Promise<string> {
    const keys = await this.keys();
    const key = options.kid ? keys.find((k) => k.kid === options.kid) : keys[0];
    if (!key) throw new Error(`no key ${options.kid}`);
    return signWith(key, { iss: this.issuer, aud: options.audience ?? 'apkt-api', ...claims });
  }
}

/** Signs `claims` (iat now and exp in 5 minutes unless given) with a private JWK, naming its kid. */
export async function signWith(key: SigningKey, claims: JWTPayload): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({ iat: now, exp: now + 300, jti: randomUUID(), ...claims })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'at+jwt' })
    .sign(await importJWK(key, key.alg));
}
