import { createHmac } from 'node:crypto';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { exportJWK, SignJWT } from 'jose';
import { signToken } from '../src/auth/jwt';
import { JobsService } from '../src/jobs/jobs.service';
import { TEST_SECRET, TestApp } from './support/app';
import { gangguan, registerUnits } from './support/fixtures';
import { signWith, TestProvider } from './support/oidc';

// Issue 25, the service side: access tokens of a real OpenID Connect provider (oidc-provider in a child
// process), shaped like Keycloak's and like Microsoft Entra ID's, beside HS256.

const KEYCLOAK_CLIENTS = [
  { client_id: 'listriqu', client_secret: 'listriqu-secret-for-the-tests', claims: { realm_access: { roles: ['listriqu', 'offline_access'] } } },
  { client_id: 'itsm', client_secret: 'itsm-secret-for-the-tests', claims: { realm_access: { roles: ['itsm'] } } },
  { client_id: 'pln-mobile', client_secret: 'pln-mobile-secret-for-the-tests', claims: { realm_access: { roles: ['mobile'] } } },
];

/** Date.now moved forward (the key set's 30 s cool-down, R-U2), the same for the service and the tokens signed here. */
const realNow = Date.now.bind(Date);
let offset = 0;
const later = (ms: number) => {
  offset += ms;
};

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('R-U1 R-U2 R-U3 R-U4 Keycloak-shaped provider', () => {
  let provider: TestProvider;
  let app: TestApp;
  const person = (claims: Record<string, unknown>, options: { kid?: string; audience?: string } = {}) =>
    provider.sign({ sub: 'person-1', realm_access: { roles: ['cso'] }, ...claims }, options);
  const get = (path: string, token: string | null) => app.call('GET', path, undefined, { token });

  beforeAll(async () => {
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
    provider = await TestProvider.start({ issuerPath: '/realms/apkt', clients: KEYCLOAK_CLIENTS });
    app = await TestApp.start({ config: { oidcIssuer: provider.issuer, oidcAudience: 'apkt-api', oidcRolesClaim: 'realm_access.roles', oidcUnitClaim: 'unit' } });
    await registerUnits(app, '542');
  });
  afterAll(async () => {
    await app?.close();
    await provider?.stop();
    jest.restoreAllMocks();
  });

  describe('R-U4 systems with the client-credentials grant', () => {
    it('listriqu, itsm and PLN Mobile call the API with tokens from the token endpoint', async () => {
      const listriqu = await provider.clientCredentials('listriqu', 'listriqu-secret-for-the-tests');
      expect((await get('/api/v1/listriqu/orders', listriqu)).status).toBe(200);
      expect((await get('/api/v1/tickets', listriqu)).status).toBe(403);

      const mobile = await provider.clientCredentials('pln-mobile', 'pln-mobile-secret-for-the-tests');
      const created = await app.call('POST', '/api/v1/tickets', gangguan({ channel: 'PLN_MOBILE' }), { token: mobile });
      expect(created.status).toBe(201);

      const itsm = await provider.clientCredentials('itsm', 'itsm-secret-for-the-tests');
      const events = await get(`/api/v1/tickets/${created.body.number}/events`, itsm);
      expect(events.status).toBe(200);
      // a system has no display name: actor.name is null
      expect(events.body.items[0].actor).toEqual({ sub: 'pln-mobile', role: 'mobile', name: null });
    });
  });

  describe('R-U3 several roles, the acting role and the name in history', () => {
    it('acts under the role the endpoint admits and records it with the name', async () => {
      const token = await person({ sub: 'kc-7f3a', name: 'Sari Wulandari', preferred_username: 'sari', unit: '542', realm_access: { roles: ['offline_access', 'unit', 'cso'] } });
      const created = await app.call('POST', '/api/v1/tickets', gangguan(), { token }); // cso only of the two
      expect(created.status).toBe(201);
      const moved = await app.call('POST', `/api/v1/tickets/${created.body.number}/status`, { status: 'PENUGASAN' }, { token }); // unit only
      expect(moved.status).toBe(200);
      const events = await get(`/api/v1/tickets/${created.body.number}/events`, token);
      expect(events.body.items.map((e: { type: string; actor: unknown }) => [e.type, e.actor])).toEqual([
        ['CREATED', { sub: 'kc-7f3a', role: 'cso', name: 'Sari Wulandari' }],
        ['STATUS_CHANGED', { sub: 'kc-7f3a', role: 'unit', name: 'Sari Wulandari' }],
      ]);
    });

    it('acts the same whatever the order of the roles in the token: the widest the endpoint admits', async () => {
      await registerUnits(app, '543');
      const other = await app.call('POST', '/api/v1/tickets', gangguan({ unitCode: '543' }), { token: await person({ sub: 'kc-cso', realm_access: { roles: ['cso'] } }) });
      expect(other.status).toBe(201);
      await app.as('admin').put('/api/v1/units/542', { name: 'ULP 542', notifyEmails: ['dm542@example.com'] });
      for (const roles of [['unit', 'cso'], ['cso', 'unit']]) {
        const token = await person({ sub: 'kc-both', unit: '542', realm_access: { roles } });
        // a cso reads any ticket (§10), and lists every unit's; the unit role alone is scoped (R-H2)
        expect([roles, (await get(`/api/v1/tickets/${other.body.number}`, token)).status]).toEqual([roles, 200]);
        expect((await get('/api/v1/tickets?unitCode=543', token)).body.items.map((t: { number: string }) => t.number)).toContain(other.body.number);
        // a status move is the unit's alone: scoped to its unit
        expect((await app.call('POST', `/api/v1/tickets/${other.body.number}/status`, { status: 'PENUGASAN' }, { token })).status).toBe(404);
      }
      for (const roles of [['cso', 'admin'], ['admin', 'cso']]) {
        const token = await person({ sub: 'kc-admin', realm_access: { roles } });
        expect([roles, (await get('/api/v1/units/542', token)).body.notifyEmails]).toEqual([roles, ['dm542@example.com']]);
      }
    });

    it('records the name on the events an outage writes on its tickets', async () => {
      const token = await person({ sub: 'kc-ulp', name: 'Uli ULP 542', unit: '542', realm_access: { roles: ['unit', 'cso'] } });
      const created = await app.call('POST', '/api/v1/tickets', gangguan(), { token });
      const outage = await app.call('POST', '/api/v1/outages', { unitCode: '542', title: 'Penyulang KBN-07 trip', cause: 'Pohon tumbang', area: 'Sukamaju', etr: null }, { token });
      expect(outage.status).toBe(201);
      expect((await app.call('POST', `/api/v1/outages/${outage.body.id}/tickets`, { numbers: [created.body.number] }, { token })).status).toBe(200);
      const events = await get(`/api/v1/tickets/${created.body.number}/events`, token);
      expect(events.body.items.map((e: { type: string; actor: unknown }) => [e.type, e.actor])).toEqual([
        ['CREATED', { sub: 'kc-ulp', role: 'cso', name: 'Uli ULP 542' }],
        ['ATTACHED_TO_OUTAGE', { sub: 'kc-ulp', role: 'unit', name: 'Uli ULP 542' }],
        ['STATUS_CHANGED', { sub: 'kc-ulp', role: 'unit', name: 'Uli ULP 542' }],
      ]);
      // a move of the outage is carried to its tickets by a job, with the name it was made under
      expect((await app.call('POST', `/api/v1/outages/${outage.body.id}/status`, { status: 'PERJALANAN' }, { token })).status).toBe(202);
      await app.app.get(JobsService).run('outagePropagation');
      const carried = await get(`/api/v1/tickets/${created.body.number}/events`, token);
      expect(carried.body.items.at(-1)).toMatchObject({ type: 'STATUS_CHANGED', toStatus: 'PERJALANAN', actor: { sub: 'kc-ulp', role: 'unit', name: 'Uli ULP 542' } });
    });

    it('takes preferred_username when the token has no name', async () => {
      const token = await person({ sub: 'kc-b2', preferred_username: 'budi.santoso', realm_access: { roles: ['cso'] } });
      const created = await app.call('POST', '/api/v1/tickets', gangguan(), { token });
      const events = await get(`/api/v1/tickets/${created.body.number}/events`, token);
      expect(events.body.items[0].actor).toEqual({ sub: 'kc-b2', role: 'cso', name: 'budi.santoso' });
    });

    it('answers 403 to a valid token holding none of our roles, and ignores unknown names', async () => {
      const none = await get('/api/v1/tickets', await person({ realm_access: { roles: ['offline_access', 'uma_authorization'] } }));
      expect(none.status).toBe(403);
      const unitWithoutUnit = await get('/api/v1/tickets', await person({ realm_access: { roles: ['unit'] } }));
      expect(unitWithoutUnit.status).toBe(403);
    });

    it('answers 403 to an HS256 token whose role claim names none of our roles too, and 401 to one with no role claim', async () => {
      const hs256 = (claims: Record<string, unknown>) => signToken(TEST_SECRET, claims as Parameters<typeof signToken>[1]);
      expect((await get('/api/v1/tickets', await hs256({ sub: 'hs-a', role: 'root' }))).status).toBe(403);
      expect((await get('/api/v1/tickets', await hs256({ sub: 'hs-b', role: ['root', 'cso'] }))).status).toBe(200);
      const missing = await get('/api/v1/tickets', await hs256({ sub: 'hs-c' }));
      expect([missing.status, missing.headers.get('www-authenticate')]).toEqual([401, 'Bearer error="invalid_token"']);
    });
  });

  describe('R-U1 refusals are 401 with WWW-Authenticate: Bearer error="invalid_token"', () => {
    const refused = async (token: string) => {
      const answer = await get('/api/v1/tickets', token);
      expect([answer.status, answer.headers.get('www-authenticate'), answer.headers.get('content-type')]).toEqual([401, 'Bearer error="invalid_token"', 'application/problem+json; charset=utf-8']);
    };
    const seconds = () => Math.floor(Date.now() / 1000);

    it('a missing token: 401 with WWW-Authenticate: Bearer', async () => {
      const answer = await get('/api/v1/tickets', null);
      expect([answer.status, answer.headers.get('www-authenticate')]).toEqual([401, 'Bearer']);
    });

    it('accepts a valid person token', async () => {
      expect((await get('/api/v1/tickets', await person({}))).status).toBe(200);
    });

    it('expired: beyond the 60 s of skew refused, within it accepted', async () => {
      await refused(await person({ iat: seconds() - 600, exp: seconds() - 90 }));
      expect((await get('/api/v1/tickets', await person({ iat: seconds() - 600, exp: seconds() - 30 }))).status).toBe(200);
    });

    it('not yet valid: nbf beyond the skew refused, within it accepted', async () => {
      await refused(await person({ nbf: seconds() + 120 }));
      expect((await get('/api/v1/tickets', await person({ nbf: seconds() + 30 }))).status).toBe(200);
    });

    it('another issuer', async () => {
      await refused(await person({ iss: 'http://127.0.0.1:1/realms/other' }));
    });

    it('another audience', async () => {
      await refused(await person({}, { audience: 'another-api' }));
    });

    it('alg none', async () => {
      const [key] = await provider.keys();
      await refused(`${b64({ alg: 'none', kid: key.kid })}.${b64({ iss: provider.issuer, aud: 'apkt-api', sub: 'x', realm_access: { roles: ['admin'] }, exp: seconds() + 300 })}.`);
    });

    /** The classic confusion: an HMAC keyed with the provider's public key (PEM), naming its kid. */
    const forgedWithPublicKey = async () => {
      const [key] = await provider.keys();
      const publicPem = createPublicKey({ key: { kty: key.kty, n: key.n, e: key.e } as never, format: 'jwk' }).export({ type: 'spki', format: 'pem' });
      return new SignJWT({ iss: provider.issuer, aud: 'apkt-api', realm_access: { roles: ['admin'] }, role: 'admin' })
        .setProtectedHeader({ alg: 'HS256', kid: key.kid })
        .setSubject('attacker')
        .setExpirationTime('5m')
        .sign(new TextEncoder().encode(publicPem as string));
    };

    it('HS256 signed with the provider public key', async () => {
      await refused(await forgedWithPublicKey());
    });

    it('an RSA key published for RS256 used with PS256', async () => {
      const [key] = await provider.keys();
      await refused(await signWith({ ...key, alg: 'PS256' }, { iss: provider.issuer, aud: 'apkt-api', sub: 'x', realm_access: { roles: ['cso'] } }));
    });

    it('a key the issuer never published', async () => {
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const stranger = { ...(await exportJWK(privateKey)), alg: 'RS256', kid: 'never-published' };
      await refused(await signWith(stranger, { iss: provider.issuer, aud: 'apkt-api', sub: 'x', realm_access: { roles: ['cso'] } }));
    });

    it('HS256 with a secret while only the provider is configured (AUTH_JWT_SECRET unset)', async () => {
      const oidcOnly = await TestApp.start({ config: { jwtSecret: undefined, oidcIssuer: provider.issuer, oidcAudience: 'apkt-api', oidcRolesClaim: 'realm_access.roles' } });
      try {
        const hs256 = await oidcOnly.token('cso');
        const answer = await oidcOnly.call('GET', '/api/v1/tickets', undefined, { token: hs256 });
        expect([answer.status, answer.headers.get('www-authenticate')]).toEqual([401, 'Bearer error="invalid_token"']);
        expect((await oidcOnly.call('GET', '/api/v1/tickets', undefined, { token: await person({}) })).status).toBe(200);
        const forged = await oidcOnly.call('GET', '/api/v1/tickets', undefined, { token: await forgedWithPublicKey() });
        expect([forged.status, forged.headers.get('www-authenticate')]).toEqual([401, 'Bearer error="invalid_token"']);
      } finally {
        await oidcOnly.close();
      }
    });

    it('with both configured, HS256 with AUTH_JWT_SECRET is accepted too', async () => {
      expect((await app.as('cso').get('/api/v1/tickets')).status).toBe(200);
      const created = await app.call('POST', '/api/v1/tickets', gangguan(), { token: await app.token('cso') });
      expect(created.status).toBe(201);
      // an HS256 token may carry several roles and a name too
      const both = await new SignJWT({ role: ['unit', 'cso'], unit: '542', name: 'Agen Uji' }).setProtectedHeader({ alg: 'HS256' }).setSubject('hs-1').setExpirationTime('5m').sign(new TextEncoder().encode(TEST_SECRET));
      expect((await app.call('POST', `/api/v1/tickets/${created.body.number}/status`, { status: 'PENUGASAN' }, { token: both })).status).toBe(200);
      const events = await get(`/api/v1/tickets/${created.body.number}/events`, both);
      expect(events.body.items[1].actor).toEqual({ sub: 'hs-1', role: 'unit', name: 'Agen Uji' });
    });
  });

  describe('R-U2 keys change without a restart', () => {
    it('rotation: a token under a new key (here ES256) verifies without a restart; one fetch per 30 s at most', async () => {
      const kid = await provider.rotate({ alg: 'ES256' });
      later(31_000);
      expect((await get('/api/v1/tickets', await person({}, { kid }))).status).toBe(200);
      // tokens issued by the provider now carry the new key
      const issued = await provider.clientCredentials('listriqu', 'listriqu-secret-for-the-tests');
      expect(JSON.parse(Buffer.from(issued.split('.')[0], 'base64url').toString())).toMatchObject({ alg: 'ES256', kid });
      expect((await get('/api/v1/listriqu/orders', issued)).status).toBe(200);

      const next = await provider.rotate();
      expect((await get('/api/v1/tickets', await person({}, { kid: next }))).status).toBe(401); // fetched less than 30 s ago
      later(31_000);
      expect((await get('/api/v1/tickets', await person({}, { kid: next }))).status).toBe(200);
    });

    it('50 parallel requests bearing a new kid: exactly one key-set fetch', async () => {
      const kid = await provider.rotate();
      later(31_000);
      await provider.resetCounts();
      const tokens = await Promise.all(Array.from({ length: 50 }, (_, i) => person({ sub: `parallel-${i}` }, { kid })));
      const answers = await Promise.all(tokens.map((token) => get('/api/v1/tickets', token)));
      expect(answers.map((a) => a.status)).toEqual(Array(50).fill(200));
      expect((await provider.counts()).jwks).toBe(1);
    });

    it('the provider down: cached keys still verify, an unknown kid is 401 (never 500), readiness unaffected', async () => {
      const [current] = await provider.keys();
      await provider.down();
      try {
        later(31_000);
        expect((await get('/api/v1/tickets', await person({}, { kid: current.kid }))).status).toBe(200);
        const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
        const unknown = { ...(await exportJWK(privateKey)), alg: 'ES256', kid: 'rotated-while-down' };
        const answer = await get('/api/v1/tickets', await signWith(unknown, { iss: provider.issuer, aud: 'apkt-api', sub: 'x', realm_access: { roles: ['cso'] } }));
        expect([answer.status, answer.headers.get('www-authenticate')]).toEqual([401, 'Bearer error="invalid_token"']);
        expect((await app.call('GET', '/health/ready')).status).toBe(200);
      } finally {
        await provider.up();
      }
    });

    it('a key set moved to another address (jwks_uri changed): read again from the discovery document', async () => {
      const second = await TestApp.start({ config: { oidcIssuer: provider.issuer, oidcAudience: 'apkt-api', oidcRolesClaim: 'realm_access.roles' } });
      try {
        expect((await second.call('GET', '/api/v1/tickets', undefined, { token: await person({}) })).status).toBe(200); // discovered, keys held
        const kid = await provider.moveKeySet('/jwks-v2');
        later(31_000);
        expect((await second.call('GET', '/api/v1/tickets', undefined, { token: await person({}, { kid }) })).status).toBe(200);
      } finally {
        await provider.moveKeySet('/jwks');
        later(31_000);
        await second.close();
      }
    });

    it('discovery failing at first is retried after the cool-down, not remembered', async () => {
      const second = await TestApp.start({ config: { oidcIssuer: provider.issuer, oidcAudience: 'apkt-api', oidcRolesClaim: 'realm_access.roles' } });
      try {
        await provider.down();
        const refusedWhileDown = await second.call('GET', '/api/v1/tickets', undefined, { token: await person({}) });
        expect(refusedWhileDown.status).toBe(401);
        expect((await second.call('GET', '/health/ready')).status).toBe(200);
        await provider.up();
        later(31_000);
        expect((await second.call('GET', '/api/v1/tickets', undefined, { token: await person({}) })).status).toBe(200);
      } finally {
        await provider.up();
        await second.close();
      }
    });
  });
});

describe('R-U1 R-U3 Entra ID-shaped provider (v2 issuer, roles array, aud = the application id)', () => {
  const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
  const APP_ID = 'b6f4a8e2-3c1d-4e5f-9a7b-0c2d4e6f8a1b';
  let provider: TestProvider;
  let app: TestApp;

  beforeAll(async () => {
    provider = await TestProvider.start({
      issuerPath: `/${TENANT}/v2.0`,
      audience: APP_ID,
      clients: [{ client_id: 'itsm-desk', client_secret: 'itsm-desk-secret-for-the-tests', claims: { roles: ['itsm'], tid: TENANT, azp: 'itsm-desk' } }],
    });
    app = await TestApp.start({ config: { jwtSecret: undefined, oidcIssuer: provider.issuer, oidcAudience: APP_ID, oidcRolesClaim: 'roles' } });
  });
  afterAll(async () => {
    await app?.close();
    await provider?.stop();
  });

  it('a person with app roles, a name and an oid-like sub; a daemon app by client credentials', async () => {
    expect(provider.issuer).toMatch(new RegExp(`/${TENANT}/v2\\.0$`));
    const admin = await provider.sign({ sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ', roles: ['admin', 'cso'], name: 'Rina Kusuma', preferred_username: 'rina@pln.co.id', tid: TENANT }, { audience: APP_ID });
    expect((await app.call('PUT', '/api/v1/units/542', { name: 'ULP Uji' }, { token: admin })).status).toBe(200);
    const created = await app.call('POST', '/api/v1/tickets', gangguan(), { token: admin }); // admin may not create: acts as cso
    expect(created.status).toBe(201);
    const daemon = await provider.clientCredentials('itsm-desk', 'itsm-desk-secret-for-the-tests');
    const events = await app.call('GET', `/api/v1/tickets/${created.body.number}/events`, undefined, { token: daemon });
    expect(events.status).toBe(200);
    expect(events.body.items[0].actor).toEqual({ sub: 'AAAAAAAAAAAAAAAAAAAAAIkzqFVrSaSaFHy782bbtaQ', role: 'cso', name: 'Rina Kusuma' });
  });

  it('refuses a token for another application (the Graph audience) and the v1 issuer', async () => {
    const graph = await provider.sign({ sub: 's', roles: ['admin'] }, { audience: '00000003-0000-0000-c000-000000000000' });
    expect((await app.call('GET', '/api/v1/tickets', undefined, { token: graph })).status).toBe(401);
    const v1 = await provider.sign({ sub: 's', roles: ['admin'], iss: `https://sts.windows.net/${TENANT}/` }, { audience: APP_ID });
    expect((await app.call('GET', '/api/v1/tickets', undefined, { token: v1 })).status).toBe(401);
  });

  it('R-F1 with no AUTH_JWT_SECRET the feed still signs its positions: one given is taken back, one signed with an empty key is 400', async () => {
    const cso = await provider.sign({ sub: 'feed-reader', roles: ['cso'] }, { audience: APP_ID });
    const first = await app.call('GET', '/api/v1/ticket-changes', undefined, { token: cso });
    expect(first.status).toBe(200);
    expect((await app.call('GET', `/api/v1/ticket-changes?after=${encodeURIComponent(first.body.position)}`, undefined, { token: cso })).status).toBe(200);
    const body = first.body.position.split('.')[0];
    const forged = `${body}.${createHmac('sha256', '').update(`ticket-changes:${body}`).digest('base64url').slice(0, 22)}`; // the scheme of src/changes/positions.ts with an empty key
    expect((await app.call('GET', `/api/v1/ticket-changes?after=${encodeURIComponent(forged)}`, undefined, { token: cso })).status).toBe(400);
  });
});
