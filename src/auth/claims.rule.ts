import { actingRole, CALLER_UNIT, type Caller, isRole, type Role } from './roles';

/** Where a provider puts the roles and the unit (OIDC_ROLES_CLAIM, OIDC_UNIT_CLAIM): dotted paths. */
export interface ClaimPaths {
  roles: string;
  unit: string;
}

/** Why a verified token makes no caller: 401 (no subject) or 403 (no role of ours, R-U3). */
export class CallerRefused extends Error {
  constructor(
    readonly status: 401 | 403,
    message: string,
  ) {
    super(message);
  }
}

/**
 * The claim at a dotted path (`realm_access.roles`), or at the whole path as one name when the token has
 * such a claim (namespaced claims such as `https://pln.co.id/roles` hold dots of their own).
 */
export function claimAt(claims: Record<string, unknown>, path: string): unknown {
  if (Object.hasOwn(claims, path)) return claims[path];
  let value: unknown = claims;
  for (const name of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value) || !Object.hasOwn(value, name)) return undefined;
    value = (value as Record<string, unknown>)[name];
  }
  return value;
}

/** R-U3: the role names of §10 in a claim (a string or an array), in the token's order, once each; others ignored. */
export function knownRoles(raw: unknown): Role[] {
  const names = typeof raw === 'string' ? [raw] : Array.isArray(raw) ? raw : [];
  return [...new Set(names.filter(isRole))];
}

/** C0 control characters but tab, line feed and carriage return (API.md Conventions: never held in a string). */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/;

/**
 * A claim's text, or undefined when absent or blank. A claim holding a control character (a NUL cannot
 * even be stored) makes the token malformed: 401, whoever signed it.
 */
function text(claims: Record<string, unknown>, name: string): string | undefined {
  const value = claims[name];
  if (typeof value !== 'string' || value.trim() === '') return undefined;
  if (CONTROL.test(value)) throw new CallerRefused(401, `the token's ${name} claim holds a control character`);
  return value;
}

/** R-U3: a person's display name: `name`, else `preferred_username`. */
export const displayName = (claims: Record<string, unknown>): string | undefined => text(claims, 'name') ?? text(claims, 'preferred_username');

/**
 * R-U3: the caller of a verified provider token. The `unit` role needs a unit: without one (or with one
 * that is not a unit code) that role is ignored like an unknown name. No role left → 403.
 */
export function callerFromClaims(claims: Record<string, unknown>, paths: ClaimPaths): Caller {
  const sub = text(claims, 'sub');
  if (!sub) throw new CallerRefused(401, 'the token names no subject (sub)');
  const rawUnit = claimAt(claims, paths.unit);
  const unit = typeof rawUnit === 'string' && CALLER_UNIT.test(rawUnit) ? rawUnit : undefined;
  const roles = knownRoles(claimAt(claims, paths.roles)).filter((role) => role !== 'unit' || unit !== undefined);
  if (!roles.length) throw new CallerRefused(403, `the token's ${paths.roles} claim holds none of the roles ${unit ? '' : '(a unit role needs a unit) '}this service knows`);
  return withOptional({ sub, role: actingRole({ roles }, undefined) ?? roles[0], roles }, unit, displayName(claims));
}

/** A role claim as API.md's Conventions write it: a name, or a non-empty array of names. */
const roleShaped = (raw: unknown): boolean => (typeof raw === 'string' && raw.trim() !== '') || (Array.isArray(raw) && raw.length > 0 && raw.every((r) => typeof r === 'string'));

/**
 * The caller of a verified HS256 token (API.md Conventions): `role` a string or an array, `unit` required
 * with the unit role. A missing or malformed claim refuses the token (401); a well-formed role claim
 * naming none of our roles is R-U3's "none known" (403), as for a provider's token; unknown names beside
 * a known one are ignored.
 */
export function callerFromHs256(claims: Record<string, unknown>): Caller {
  const sub = text(claims, 'sub');
  if (!sub) throw new CallerRefused(401, 'sub claim missing');
  if (!roleShaped(claims.role)) throw new CallerRefused(401, 'role claim missing or not a role name or a list of them');
  const roles = knownRoles(claims.role);
  if (!roles.length) throw new CallerRefused(403, "the token's role claim holds none of the roles this service knows");
  const unit = typeof claims.unit === 'string' ? claims.unit : undefined;
  if (roles.includes('unit') && (unit === undefined || !CALLER_UNIT.test(unit))) throw new CallerRefused(401, 'unit claim must be a unit code (a ULP: 3 digits; a UP3 or UID: 2–5, R-H1)');
  return withOptional({ sub, role: actingRole({ roles }, undefined) ?? roles[0], roles }, unit, displayName(claims));
}

function withOptional(caller: Caller, unit: string | undefined, name: string | undefined): Caller {
  if (unit !== undefined) caller.unit = unit;
  if (name !== undefined) caller.name = name;
  return caller;
}
