import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import { unitCodes } from '../lib/bodies';
import { type Bench, fmt, ratio, type Row, scaled } from '../lib/context';
import { createLoad, load, registerUnits, token } from '../lib/load';
import { cpuSeconds, settle, withService } from '../lib/service';
import { signToken, TokenVerifier } from '../../src/auth/jwt';
import { bare304, poll304 } from './feed';

// Scenario 13 (issue 25, R-U1): the dashboards' list 304 with access tokens of an OpenID Connect
// provider (RS256 and ES256, verified by the keys of its discovery document) against a bare Fastify
// route answering 304 from memory, same load in the same run, with HS256 tokens (AUTH_JWT_SECRET) on the
// same service beside them: the difference is what verifying a provider's token costs per request.
// A token is verified once and then remembered until it expires; what its first request costs is
// measured apart, with the service's own verifier in this process (first sight: the signature checked).
const S13 = '13 Provider tokens';
const AUDIENCE = 'apkt-api';
const FIRST_SIGHT = 2_000;

/** A provider's two public faces the service reads: its discovery document and its key set. */
async function provider(): Promise<{ issuer: string; sign: (alg: 'RS256' | 'ES256', unit: string, subject?: string) => Promise<string>; stop: () => void }> {
  const keys = { RS256: await generateKeyPair('RS256'), ES256: await generateKeyPair('ES256') };
  const jwks = { keys: await Promise.all((['RS256', 'ES256'] as const).map(async (alg) => ({ ...(await exportJWK(keys[alg].publicKey)), kid: alg, alg, use: 'sig' }))) };
  let issuer = '';
  const server = createServer((request, response) => {
    const body = request.url === '/.well-known/openid-configuration' ? { issuer, jwks_uri: `${issuer}/jwks` } : request.url === '/jwks' ? jwks : null;
    response.writeHead(body ? 200 : 404, { 'content-type': 'application/json' }).end(JSON.stringify(body ?? {}));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sign = (alg: 'RS256' | 'ES256', unit: string, subject = `bench-${alg}-${unit}`) =>
    new SignJWT({ role: ['unit'], unit, name: `Manajer ${unit}` })
      .setProtectedHeader({ alg, kid: alg, typ: 'at+jwt' })
      .setIssuer(issuer)
      .setAudience(AUDIENCE)
      .setSubject(subject)
      .setIssuedAt()
      .setExpirationTime('2h')
      .sign(keys[alg].privateKey);
  return { issuer, sign, stop: () => server.close() };
}

export async function providerTokens(bench: Bench): Promise<Row[]> {
  const idp = await provider();
  const url = await bench.server.fresh('provider_tokens');
  const units = unitCodes(200, 300);
  const seconds = scaled(bench, 20, 3);
  try {
    const measured = await withService(
      bench,
      { databaseUrl: url, jobs: false, name: 'provider tokens', env: { OIDC_ISSUER: idp.issuer, OIDC_AUDIENCE: AUDIENCE } },
      async (service) => {
        await registerUnits(bench, service, units);
        await load({ ...(await createLoad(bench, service, (i) => units[i % units.length])), connections: 32, amount: units.length * 5 });
        await settle(service);
        const result: Record<string, { perSecond: number; other: number; cpuMicros: number }> = {};
        for (const alg of ['HS256', 'RS256', 'ES256'] as const) {
          const tokens = await Promise.all(units.map((unit) => (alg === 'HS256' ? token(bench, 'unit', unit) : idp.sign(alg, unit))));
          await poll304(service.url, tokens, 3); // warm up: each token verified once, then remembered
          const before = await cpuSeconds(service);
          const polled = await poll304(service.url, tokens, seconds);
          result[alg] = { ...polled, cpuMicros: (((await cpuSeconds(service)) - before) * 1e6) / Math.max(1, polled.perSecond * seconds) };
        }
        return result;
      },
    );
    const baseline = await bare304(bench, seconds);
    const firstSight = await firstSightMicros(bench, idp);
    return [
      ...(['HS256', 'RS256', 'ES256'] as const).map((alg) => ({
        scenario: S13,
        metric: `list 304 answers/s, ${alg === 'HS256' ? 'HS256 tokens (AUTH_JWT_SECRET)' : `${alg} provider tokens`} (200 dashboards)`,
        value: fmt(measured[alg].perSecond),
        baseline: `${fmt(baseline.perSecond)}/s bare Fastify 304`,
        ratio: ratio(measured[alg].perSecond, baseline.perSecond),
        target: '≥ 0.50×',
        met: measured[alg].perSecond >= 0.5 * baseline.perSecond,
      })),
      {
        scenario: S13,
        metric: 'service CPU per remembered 304 (process_cpu_seconds_total over the polls): HS256 / RS256 / ES256',
        value: (['HS256', 'RS256', 'ES256'] as const).map((alg) => `${fmt(measured[alg].cpuMicros)} µs`).join(' / '),
      },
      {
        scenario: S13,
        metric: `verifying a token at first sight, the service's verifier in-process (${fmt(FIRST_SIGHT)} tokens each, keys fetched): HS256 / RS256 / ES256`,
        value: (['HS256', 'RS256', 'ES256'] as const).map((alg) => `${fmt(firstSight[alg], 1)} µs`).join(' / '),
      },
      { scenario: S13, metric: 'answers other than 200/304', value: fmt(measured.HS256.other + measured.RS256.other + measured.ES256.other + baseline.other), target: '0', met: measured.HS256.other + measured.RS256.other + measured.ES256.other + baseline.other === 0 },
    ];
  } finally {
    idp.stop();
    await bench.server.drop('provider_tokens');
  }
}

/** Microseconds per verification of a token not seen before (signature, issuer, audience, times), per algorithm. */
async function firstSightMicros(bench: Bench, idp: Awaited<ReturnType<typeof provider>>): Promise<Record<'HS256' | 'RS256' | 'ES256', number>> {
  const verifier = new TokenVerifier({ jwtSecret: bench.secret, provider: { issuer: idp.issuer, audience: AUDIENCE, roles: 'role', unit: 'unit' } });
  const result = { HS256: 0, RS256: 0, ES256: 0 };
  for (const alg of ['HS256', 'RS256', 'ES256'] as const) {
    // distinct tokens (a subject each), so that none is remembered
    const tokens = await Promise.all(
      Array.from({ length: FIRST_SIGHT + 1 }, (_, i) => (alg === 'HS256' ? signToken(bench.secret, { sub: `first-${i}`, role: 'unit', unit: '542' }) : idp.sign(alg, '542', `first-${i}`))),
    );
    await verifier.verify(tokens[0]); // the key set fetched once
    const started = performance.now();
    for (const t of tokens.slice(1)) await verifier.verify(t);
    result[alg] = ((performance.now() - started) * 1000) / FIRST_SIGHT;
  }
  return result;
}
