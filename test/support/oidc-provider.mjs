// A real OpenID Connect provider (oidc-provider, ESM-only) for the identity tests (R-U1…R-U4), run in a
// child process that test/support/oidc.ts forks and talks to over HTTP and IPC. Options arrive as JSON in
// argv[2]: { issuerPath, audience, alg, clients: [{ client_id, client_secret, claims }] }.
// It issues JWT access tokens for one resource (the API: `aud` = audience) by the client-credentials
// grant, adding each client's `claims` (Keycloak's realm_access.roles, Entra's roles, a unit …). Under
// /__admin it lets the test rotate the keys (a new provider on the same issuer, new key first, old key
// still published), read its private keys (to sign tokens with chosen claims), count key-set fetches,
// go down (every other request's connection is dropped), and move its key set to another address (the
// discovery document's jwks_uri changes; the old address answers 404).
import { createServer } from 'node:http';
import { exportJWK, generateKeyPair } from 'jose';
import Provider from 'oidc-provider';

const options = JSON.parse(process.argv[2] ?? '{}');
const issuerPath = options.issuerPath ?? '';
const audience = options.audience ?? 'apkt-api';
const clients = options.clients ?? [];
const RESOURCE = 'urn:apkt:api';

let keys = [];
let provider;
let handler;
let down = false;
let jwksPath = '/jwks';
const counts = { discovery: 0, jwks: 0, token: 0 };

async function newKey(alg) {
  const { privateKey } = await generateKeyPair(alg, { extractable: true, crv: alg === 'EdDSA' ? 'Ed25519' : undefined });
  const jwk = await exportJWK(privateKey);
  return { ...jwk, alg, use: 'sig', kid: `k-${alg.toLowerCase()}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}` };
}

function build(issuer) {
  const claimsOf = new Map(clients.map((c) => [c.client_id, c.claims ?? {}]));
  const signing = keys[0];
  provider = new Provider(issuer, {
    jwks: { keys },
    clients: clients.map((c) => ({
      client_id: c.client_id,
      client_secret: c.client_secret,
      grant_types: ['client_credentials'],
      response_types: [],
      redirect_uris: [],
      token_endpoint_auth_method: 'client_secret_post',
    })),
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      resourceIndicators: {
        enabled: true,
        defaultResource: () => RESOURCE,
        useGrantedResource: () => true,
        getResourceServerInfo: (_ctx, resource) => {
          if (resource !== RESOURCE) throw new Error(`unknown resource ${resource}`);
          return { scope: 'api', audience, accessTokenTTL: 300, accessTokenFormat: 'jwt', jwt: { sign: { alg: signing.alg, kid: signing.kid } } };
        },
      },
    },
    extraTokenClaims: (_ctx, token) => claimsOf.get(token.clientId),
    cookies: { keys: ['test-only-cookie-key'] },
    routes: { jwks: jwksPath },
  });
  const callback = provider.callback();
  handler = (req, res) => {
    req.originalUrl = req.url;
    req.url = req.url.slice(issuerPath.length) || '/';
    callback(req, res);
  };
}

const server = createServer((req, res) => {
  if (req.url.startsWith('/__admin/')) return admin(req, res).catch((error) => send(res, 500, { error: String(error) }));
  if (down) return req.socket.destroy();
  if (!req.url.startsWith(issuerPath)) return send(res, 404, { error: 'outside the issuer' });
  const path = req.url.slice(issuerPath.length);
  if (path.startsWith('/.well-known/openid-configuration')) counts.discovery += 1;
  else if (path.startsWith(jwksPath)) counts.jwks += 1;
  else if (path.startsWith('/token')) counts.token += 1;
  handler(req, res);
});

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

async function readJson(req) {
  let text = '';
  for await (const chunk of req) text += chunk;
  return text ? JSON.parse(text) : {};
}

async function admin(req, res) {
  const action = req.url.slice('/__admin/'.length);
  if (action === 'state') return send(res, 200, { issuer: provider.issuer, counts, keys });
  if (action === 'rotate') {
    const body = await readJson(req);
    keys = [await newKey(body.alg ?? keys[0].alg), ...(body.dropOld ? [] : keys)];
    build(provider.issuer);
    return send(res, 200, { kid: keys[0].kid });
  }
  if (action === 'move-jwks') {
    const body = await readJson(req);
    jwksPath = body.path;
    keys = [await newKey(body.alg ?? keys[0].alg), ...keys];
    build(provider.issuer);
    return send(res, 200, { kid: keys[0].kid });
  }
  if (action === 'down') {
    down = true;
    return send(res, 200, {});
  }
  if (action === 'up') {
    down = false;
    return send(res, 200, {});
  }
  if (action === 'reset-counts') {
    Object.assign(counts, { discovery: 0, jwks: 0, token: 0 });
    return send(res, 200, counts);
  }
  return send(res, 404, { error: `unknown admin action ${action}` });
}

server.listen(0, '127.0.0.1', async () => {
  const { port } = server.address();
  keys = [await newKey(options.alg ?? 'RS256')];
  build(`http://127.0.0.1:${port}${issuerPath}`);
  process.send?.({ port, issuer: provider.issuer });
});
process.on('disconnect', () => process.exit(0));
