import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type DevIdentityState } from './keys';
import { loginPage, logoutPage } from './pages';
import { type DevPerson, personClaims } from './people';

/**
 * R-U6: the embedded OpenID Connect provider of the development mode — oidc-provider (certified,
 * ESM-only, loaded with a dynamic import), on its own port beside the service. It registers the
 * console as a public client (authorization code + PKCE, API.md's redirect and post-logout URIs), one
 * confidential client per integration (client credentials), and issues JWT access tokens for the
 * service's audience carrying `role`, `unit` and `name`.
 */
export interface DevIdentityOptions {
  state: DevIdentityState;
  /** The service's origin: the console's redirect URIs live there. */
  serviceOrigin: string;
  audience: string;
  consoleClientId: string;
  /** Where to listen (0: any free port) and the host name the issuer URL carries. */
  port: number;
  listenHost?: string;
  issuerHost?: string;
  accessTokenTtlSeconds?: number;
  /**
   * Signs the access tokens with HS256 under this secret instead of the provider's RS256 key, so that a
   * service that verifies only AUTH_JWT_SECRET accepts them (the console's browser tests use it).
   */
  accessTokenSecret?: string;
}

export interface DevIdentity {
  issuer: string;
  audience: string;
  state: DevIdentityState;
  close(): Promise<void>;
}

const RESOURCE_SCOPE = 'api';

export async function startDevIdentity(options: DevIdentityOptions): Promise<DevIdentity> {
  const { default: Provider } = await import('oidc-provider');
  let handle: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server: Server = createServer((req, res) => (handle ? handle(req, res) : res.writeHead(503).end()));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.listenHost ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const issuer = `http://${options.issuerHost ?? 'localhost'}:${port}`;
  const { state, audience } = options;
  const person = (username: string): DevPerson | undefined => state.people.find((p) => p.username === username);
  const system = (clientId: string) => state.systems.find((s) => s.clientId === clientId);
  const ttl = options.accessTokenTtlSeconds ?? 600;

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: options.consoleClientId,
        client_name: 'Konsol APKT',
        token_endpoint_auth_method: 'none',
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        redirect_uris: [`${options.serviceOrigin}/console/auth/callback`],
        post_logout_redirect_uris: [`${options.serviceOrigin}/console/`],
      },
      ...state.systems.map((s) => ({
        client_id: s.clientId,
        client_secret: s.clientSecret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
      })),
    ],
    jwks: { keys: [state.signingKey] },
    cookies: { keys: state.cookieKeys },
    claims: { openid: ['sub'], profile: ['name', 'preferred_username', 'role', 'unit'] },
    conformIdTokenClaims: false, // the console reads name, role and unit from the ID token
    findAccount: (_ctx: unknown, sub: string) => {
      const found = person(sub);
      return found ? { accountId: sub, claims: () => ({ sub, ...personClaims(found) }) } : undefined;
    },
    // a first-party console: no consent step, the grant covers what it asks for and the service
    loadExistingGrant: async (ctx: any) => {
      const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
      grant.addOIDCScope([...ctx.oidc.requestParamScopes].join(' '));
      grant.addResourceScope(audience, RESOURCE_SCOPE);
      await grant.save();
      return grant;
    },
    // the console renews its access token with a refresh token (R-U5); it ends with the session
    issueRefreshToken: async (_ctx: unknown, client: any) => client.grantTypeAllowed('refresh_token'),
    extraTokenClaims: async (_ctx: unknown, token: any) => {
      if (token.accountId) {
        const found = person(token.accountId);
        return found ? personClaims(found) : undefined;
      }
      const found = system(token.clientId);
      return found ? { role: found.role, name: found.clientId } : undefined;
    },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      revocation: { enabled: true, allowedPolicy: async (_ctx: unknown, client: any, token: any) => token.clientId === client.clientId }, // a client revokes only its own tokens
      rpInitiatedLogout: { enabled: true, logoutSource: async (ctx: any, form: string) => void (ctx.body = logoutPage(form)) },
      resourceIndicators: {
        enabled: true,
        defaultResource: async () => audience,
        useGrantedResource: async () => true,
        getResourceServerInfo: async () => ({
          scope: RESOURCE_SCOPE,
          audience,
          accessTokenTTL: ttl,
          accessTokenFormat: 'jwt',
          jwt: { sign: options.accessTokenSecret ? { alg: 'HS256', key: options.accessTokenSecret } : { alg: 'RS256' } },
        }),
      },
    },
    // the console calls the token endpoint from its own origin
    clientBasedCORS: (_ctx: unknown, origin: string) => origin === new URL(options.serviceOrigin).origin,
    interactions: { url: (_ctx: unknown, interaction: { uid: string }) => `/interaction/${interaction.uid}` },
    ttl: { AccessToken: ttl, IdToken: ttl, RefreshToken: 8 * 3600, Session: 8 * 3600, Grant: 8 * 3600, Interaction: 3600 },
  });
  provider.on('server_error', () => undefined); // rendered to the browser as an error page already
  const callback = provider.callback();

  handle = (req, res) => {
    const match = /^\/interaction\/([\w-]+)(\/login)?$/.exec((req.url ?? '').split('?')[0]);
    if (!match) return callback(req, res);
    signIn(provider, req, res, match[2] !== undefined, person).catch(() => {
      if (!res.headersSent) res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' });
      res.end('Sesi masuk ini tidak berlaku lagi. Buka konsol dan masuk lagi.');
    });
  };

  return {
    issuer,
    audience,
    state,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The provider's own sign-in page (GET) and its check of the person's password (POST). */
async function signIn(provider: any, req: IncomingMessage, res: ServerResponse, submitted: boolean, person: (username: string) => DevPerson | undefined): Promise<void> {
  const details = await provider.interactionDetails(req, res);
  const client = await provider.Client.find(details.params.client_id);
  const action = `/interaction/${details.uid}/login`;
  const html = (status: number, body: string) => res.writeHead(status, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' }).end(body);
  if (!submitted || req.method !== 'POST') return void html(200, loginPage(action, client?.clientName ?? details.params.client_id));
  const form = new URLSearchParams(await readBody(req));
  const username = form.get('username') ?? '';
  const found = person(username);
  if (!found || found.password !== form.get('password')) {
    return void html(401, loginPage(action, client?.clientName ?? details.params.client_id, { username, error: 'Nama pengguna atau kata sandi salah.' }));
  }
  await provider.interactionFinished(req, res, { login: { accountId: found.username } }, { mergeWithLastSubmission: false });
}

async function readBody(req: IncomingMessage): Promise<string> {
  let body = '';
  for await (const chunk of req) {
    body += chunk;
    if (body.length > 10_000) throw new Error('form too large');
  }
  return body;
}
