import { decodeProtectedHeader, jwtVerify, SignJWT } from 'jose';
import { type AppConfig, ConfigError } from '../config/config';
import { callerFromClaims, callerFromHs256, CallerRefused, type ClaimPaths } from './claims.rule';
import { ProviderKeys } from './provider-keys';
import { Caller } from './roles';

const key = (secret: string) => new TextEncoder().encode(secret);

/** R-U1: the asymmetric algorithms a provider's token may use (never `none`, never HS* against its keys). */
export const PROVIDER_ALGORITHMS = ['RS256', 'PS256', 'ES256', 'EdDSA'];
/** R-U1: clock skew allowed on exp and nbf. */
export const CLOCK_TOLERANCE_S = 60;

export interface ProviderSettings extends ClaimPaths {
  issuer: string;
  audience: string;
}

export interface VerifierSettings {
  /** HS256 tokens signed with AUTH_JWT_SECRET are accepted when it is set (API.md Conventions). */
  jwtSecret?: string;
  /** access tokens of this OpenID Connect provider are accepted when it is set (R-U1). */
  provider?: ProviderSettings;
  /** the time the key set's cool-down is counted in (R-U2); Date.now unless a test injects one */
  now?: () => number;
}

// A dashboard polls with the same token every few seconds: remember tokens already verified (exactly
// that string, by this verifier) until they expire, so the signature is checked once per token. Only
// successes are remembered: a refused token is checked again (the provider may be back, R-U2).
const VERIFIED_MAX = 10_000;
// Remembered by the end of their signature, then compared whole: a provider's token is 700–1,000
// characters, and hashing all of them as a map key was most of a remembered 304's token check (issue 25).
const TAIL = 24;
const tailOf = (token: string) => token.slice(-TAIL);

/** R-U1: who a bearer token names, by HS256 with the shared secret and/or by the provider's keys. */
export class TokenVerifier {
  private readonly verified = new Map<string, { token: string; caller: Caller; expiresAt: number }>();
  private readonly keys?: ProviderKeys;
  private readonly secret?: Uint8Array;
  private readonly now: () => number;

  constructor(private readonly settings: VerifierSettings) {
    this.now = settings.now ?? (() => Date.now());
    if (settings.jwtSecret) this.secret = key(settings.jwtSecret);
    if (settings.provider) this.keys = new ProviderKeys(settings.provider.issuer, this.now);
  }

  /** The caller, or a CallerRefused (401, or 403 for a provider token holding none of our roles). */
  async verify(token: string): Promise<Caller> {
    const hit = this.remembered(token);
    if (hit) return hit;
    const fresh = await this.verifyUncached(token);
    if (this.verified.size >= VERIFIED_MAX) this.verified.delete(this.verified.keys().next().value as string);
    this.verified.set(tailOf(token), { token, ...fresh }); // a token sharing the tail takes the place: both still verify
    return fresh.caller;
  }

  /** The caller of a token verified before and not yet expired, without waiting (the list's 304, issue 30); else undefined. */
  remembered(token: string): Caller | undefined {
    const tail = tailOf(token);
    const hit = this.verified.get(tail);
    if (hit === undefined || hit.token !== token) return undefined;
    if (hit.expiresAt > Date.now()) return hit.caller;
    this.verified.delete(tail);
    return undefined;
  }

  /**
   * remembered() for an Authorization header as sent, without a regular expression over the token: only a
   * remembered token can match, and that one verified, so it has no blank a stricter parse would refuse.
   */
  rememberedHeader(authorization: string | undefined): Caller | undefined {
    return authorization !== undefined && authorization.startsWith('Bearer ') ? this.remembered(authorization.slice(7)) : undefined;
  }

  private async verifyUncached(token: string): Promise<{ caller: Caller; expiresAt: number }> {
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw new CallerRefused(401, 'the token is not a JWS');
    }
    if (alg === 'HS256' && this.secret) return this.verifyHs256(token, this.secret);
    if (this.keys && this.settings.provider) return this.verifyProvider(token, this.keys, this.settings.provider);
    throw new CallerRefused(401, `tokens signed with ${String(alg)} are not accepted here`);
  }

  private async verifyHs256(token: string, secret: Uint8Array) {
    const { payload } = await refusing(jwtVerify(token, secret, { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'], currentDate: new Date(Date.now()) }));
    return { caller: callerFromHs256(payload), expiresAt: (payload.exp as number) * 1000 };
  }

  /** R-U1: the provider's keys, its issuer, our audience, exp/nbf within the skew, an asymmetric algorithm the key allows. */
  private async verifyProvider(token: string, keys: ProviderKeys, provider: ProviderSettings) {
    const { payload } = await refusing(
      jwtVerify(token, keys.getKey, {
        issuer: provider.issuer,
        audience: provider.audience,
        algorithms: PROVIDER_ALGORITHMS,
        clockTolerance: CLOCK_TOLERANCE_S,
        requiredClaims: ['sub', 'exp'],
        currentDate: new Date(Date.now()),
      }),
    );
    return { caller: callerFromClaims(payload, provider), expiresAt: (payload.exp as number) * 1000 };
  }
}

async function refusing<T>(verification: Promise<T>): Promise<T> {
  try {
    return await verification;
  } catch (error) {
    throw new CallerRefused(401, (error as Error).message);
  }
}

/** R-U1: a service outside development mode accepts provider tokens, HS256 tokens, or both, never none. */
export function requireTokenSource(config: Partial<Pick<AppConfig, 'jwtSecret' | 'oidcIssuer'>>): void {
  if (!config.jwtSecret && !config.oidcIssuer) {
    throw new ConfigError('neither OIDC_ISSUER (with OIDC_AUDIENCE) nor AUTH_JWT_SECRET is set: one of them is required whenever DATABASE_URL is given');
  }
}

const verifiers = new WeakMap<AppConfig, { issuer?: string; audience?: string; verifier: TokenVerifier }>();

/** The one verifier of a running service (its guard and the hooks before it share its remembered tokens). */
export function verifierFor(config: AppConfig): TokenVerifier {
  const { oidcIssuer, oidcAudience } = config;
  let held = verifiers.get(config);
  // a provider named after start (the tests' embedded provider, which needs the service's origin first) gets a verifier of its own
  if (!held || held.issuer !== oidcIssuer || held.audience !== oidcAudience) {
    const provider = oidcIssuer && oidcAudience ? { issuer: oidcIssuer, audience: oidcAudience, roles: config.oidcRolesClaim ?? 'role', unit: config.oidcUnitClaim ?? 'unit' } : undefined;
    held = { issuer: oidcIssuer, audience: oidcAudience, verifier: new TokenVerifier({ jwtSecret: config.jwtSecret, provider }) };
    verifiers.set(config, held);
  }
  return held.verifier;
}

const bySecret = new Map<string, TokenVerifier>();

/** An HS256 token's caller under `secret` (the CLI's tokens, the tests). */
export function verifyToken(token: string, secret: string): Promise<Caller> {
  let verifier = bySecret.get(secret);
  if (!verifier) bySecret.set(secret, (verifier = new TokenVerifier({ jwtSecret: secret })));
  return verifier.verify(token);
}

/**
 * The caller of an `Authorization: Bearer …` header, or undefined for no header, another scheme or a token
 * that does not verify — for the hooks that run before the auth guard and leave its 401/403 to it.
 */
export async function callerOf(authorization: string | undefined, verifier: TokenVerifier): Promise<Caller | undefined> {
  const token = bearerToken(authorization);
  return token ? verifier.verify(token).catch(() => undefined) : undefined;
}

/** The token of an `Authorization: Bearer <token>` header (the scheme's name in any case, RFC 9110 §11.1). */
export const bearerToken = (authorization: string | undefined): string | undefined => /^Bearer (\S+)$/i.exec(authorization ?? '')?.[1];

export async function signToken(secret: string, caller: Pick<Caller, 'sub' | 'role' | 'unit'> & { roles?: Caller['roles']; name?: string }, expiresIn = '12h'): Promise<string> {
  const claims: Record<string, unknown> = { role: caller.roles && caller.roles.length > 1 ? caller.roles : caller.role };
  if (caller.unit) claims.unit = caller.unit;
  if (caller.name) claims.name = caller.name;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(caller.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
}
