import { jwtVerify, SignJWT } from 'jose';
import { Caller, ROLES, Role } from './roles';

const key = (secret: string) => new TextEncoder().encode(secret);

export async function verifyToken(token: string, secret: string): Promise<Caller> {
  const { payload } = await jwtVerify(token, key(secret), { algorithms: ['HS256'], requiredClaims: ['sub', 'exp'] });
  const { sub, role, unit } = payload as { sub?: unknown; role?: unknown; unit?: unknown };
  if (typeof sub !== 'string' || sub === '') throw new Error('sub claim missing');
  if (typeof role !== 'string' || !(ROLES as readonly string[]).includes(role)) throw new Error('role claim invalid');
  if (role === 'unit' && (typeof unit !== 'string' || !/^\d{3}$/.test(unit))) throw new Error('unit claim must be a 3-digit unit code');
  return { sub, role: role as Role, unit: typeof unit === 'string' ? unit : undefined };
}

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
