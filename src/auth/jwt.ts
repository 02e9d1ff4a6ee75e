import { jwtVerify, SignJWT } from 'jose';
import { Caller, ROLES, Role } from './roles';

const key = (secret: string) => new TextEncoder().encode(secret);

// A dashboard polls with the same token every few seconds: remember tokens already verified (exactly
// that string, under that secret) until they expire, so the HMAC is computed once per token.
const VERIFIED_MAX = 10_000;
const verified = new Map<string, { caller: Caller; expiresAt: number }>();

export async function verifyToken(token: string, secret: string): Promise<Caller> {
  const cacheKey = `${secret.length}:${secret}:${token}`;
  const hit = verified.get(cacheKey);
  if (hit && hit.expiresAt > Date.now()) return hit.caller;
  if (hit) verified.delete(cacheKey);
  const caller = await verifyUncached(token, secret);
  if (verified.size >= VERIFIED_MAX) verified.delete(verified.keys().next().value as string);
  verified.set(cacheKey, caller);
  return caller.caller;
}

async function verifyUncached(token: string, secret: string): Promise<{ caller: Caller; expiresAt: number }> {
  const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'], currentDate: new Date(Date.now()) });
  const { sub, role, unit } = payload as { sub?: unknown; role?: unknown; unit?: unknown };
  if (typeof sub !== 'string' || sub === '') throw new Error('sub claim missing');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new Error('role claim invalid');
  if (role === 'unit' && (typeof unit !== 'string' || !/^\d{2,5}$/.test(unit))) throw new Error('unit claim must be a unit code (a ULP: 3 digits; a UP3 or UID: 2–5, R-H1)');
  return { caller: { sub, role: role as Role, unit: typeof unit === 'string' ? unit : undefined }, expiresAt: (payload.exp as number) * 1000 };
}

/**
 * The caller of an `Authorization: Bearer …` header, or undefined for no header, another scheme or a token
 * that does not verify — for the hooks that run before the auth guard and leave its 401 to it.
 */
export async function callerOf(authorization: string | undefined, secret: string): Promise<Caller | undefined> {
  const token = bearerToken(authorization);
  return token ? verifyToken(token, secret).catch(() => undefined) : undefined;
}

/** The token of an `Authorization: Bearer <token>` header. */
export const bearerToken = (authorization: string | undefined): string | undefined => /^Bearer (\S+)$/.exec(authorization ?? '')?.[1];

export async function signToken(secret: string, caller: Caller, expiresIn = '12h'): Promise<string> {
  const claims: Record<string, string> = { role: caller.role };
  if (caller.unit) claims.unit = caller.unit;
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(caller.sub)
    .setIssuedAt()
    .setExpirationTime(expiresIn)
    .sign(key(secret));
}
