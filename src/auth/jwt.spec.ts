import { SignJWT } from 'jose';
import { requireTokenSource, signToken, TokenVerifier, verifyToken } from './jwt';

describe('JWT verification (API.md Conventions)', () => {
  const secret = 'unit-test-secret';
  const sign = (claims: Record<string, unknown>, exp: number | string = '1h', key = secret) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('agent-1').setExpirationTime(exp).sign(new TextEncoder().encode(key));

  it('accepts a token it signed, again and again', async () => {
    const token = await signToken(secret, { sub: 'agent-1', role: 'unit', unit: '542' });
    expect(await verifyToken(token, secret)).toEqual({ sub: 'agent-1', role: 'unit', roles: ['unit'], unit: '542' });
    expect(await verifyToken(token, secret)).toEqual({ sub: 'agent-1', role: 'unit', roles: ['unit'], unit: '542' });
  });

  it('refuses a verified token under another secret', async () => {
    const token = await sign({ role: 'cso' });
    await verifyToken(token, secret);
    await expect(verifyToken(token, 'another-secret')).rejects.toThrow();
  });

  it('refuses a remembered token once it has expired', async () => {
    const token = await sign({ role: 'cso' }, Math.floor(Date.now() / 1000) + 2);
    await verifyToken(token, secret);
    const now = Date.now;
    Date.now = () => now() + 3000;
    try {
      await expect(verifyToken(token, secret)).rejects.toThrow();
    } finally {
      Date.now = now;
    }
  });

  it('R-U1: remembers a token whole: another payload under the same signature is refused, not taken for the remembered one', async () => {
    const verifier = new TokenVerifier({ jwtSecret: secret });
    const token = await sign({ role: 'unit', unit: '542' });
    await verifier.verify(token);
    const [header, , signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ sub: 'agent-1', role: 'admin', exp: 4_102_444_800 })).toString('base64url')}.${signature}`;
    expect(verifier.remembered(forged)).toBeUndefined();
    expect(verifier.rememberedHeader(`Bearer ${forged}`)).toBeUndefined();
    await expect(verifier.verify(forged)).rejects.toThrow();
    expect(verifier.rememberedHeader(`Bearer ${token}`)).toMatchObject({ role: 'unit', unit: '542' });
    expect(verifier.rememberedHeader(`bearer ${token}`)).toBeUndefined(); // the route's own parse decides anything else
  });

  it.each([
    ['no role', {}],
    ['an unknown role', { role: 'root' }],
    ['a unit role without its unit', { role: 'unit' }],
    ['a unit code of 6 digits (R-H1: a ULP 3, a UP3 or UID 2–5)', { role: 'unit', unit: '542000' }],
  ])('refuses %s', async (_, claims) => {
    await expect(verifyToken(await sign(claims), secret)).rejects.toThrow();
  });
});

describe('R-U1 start-up: provider tokens, HS256 tokens, or both', () => {
  it.each([
    ['AUTH_JWT_SECRET only', { jwtSecret: 's' }, true],
    ['OIDC_ISSUER only', { oidcIssuer: 'https://sso.example/realms/apkt' }, true],
    ['both', { jwtSecret: 's', oidcIssuer: 'https://sso.example/realms/apkt' }, true],
    ['neither', {}, false],
  ])('%s', (_, config, starts) => {
    if (starts) expect(() => requireTokenSource(config)).not.toThrow();
    else expect(() => requireTokenSource(config)).toThrow(/neither OIDC_ISSUER .* nor AUTH_JWT_SECRET/);
  });
});
