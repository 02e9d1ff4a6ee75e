import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const ROLES = ['cso', 'mobile', 'unit', 'backoffice', 'admin', 'listriqu', 'itsm'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who calls. `role` is the role the request acts under: of `roles` that the endpoint admits, the widest
 * (actingRole; R-U3; the auth guard sets it per request); `roles` all the caller holds; `name`
 * the person's display name recorded in history.
 */
export interface Caller {
  sub: string;
  role: Role;
  roles: Role[];
  unit?: string;
  name?: string;
}

/** A caller's own unit code, as tokens carry it. */
export const CALLER_UNIT = /^\d{2,5}$/; // a ULP: 3 digits; a UP3 or UID: 2–5 (R-H1)

export const isRole = (name: unknown): name is Role => typeof name === 'string' && (ROLES as readonly string[]).includes(name);

/**
 * Which of a caller's roles a request acts under when several are admitted: the widest first. Identity
 * providers do not keep the order of a role claim meaningful, so the token's order never decides: a person
 * holding `unit` and `cso` reads any ticket as a cso (§10), and is scoped to its unit only where `unit` alone
 * is admitted (status moves). `cso` comes before `backoffice`, whose create is only the follow-up of a
 * callback (R-E4); `unit`, the one role scoped to a subtree (R-H2), comes last.
 */
export const ROLE_PRECEDENCE: readonly Role[] = ['admin', 'cso', 'backoffice', 'mobile', 'listriqu', 'itsm', 'unit'];

/**
 * R-U3: the role a request acts under — of the caller's roles that the endpoint admits (any, when the
 * endpoint names none), the first in ROLE_PRECEDENCE; undefined when none may call it (403).
 */
export const actingRole = (caller: Pick<Caller, 'roles'>, admitted: readonly Role[] | undefined): Role | undefined =>
  ROLE_PRECEDENCE.find((role) => caller.roles.includes(role) && (!admitted || admitted.includes(role)));

/** Whether the caller holds `role` among its roles, whichever it acts under (what it may see, e.g. admin-only fields). */
export const holds = (caller: Pick<Caller, 'roles'> | null | undefined, role: Role): boolean => caller?.roles.includes(role) ?? false;

/** The caller acting under `role` (a new object: verified callers are shared between requests). */
export const actingAs = (caller: Caller, role: Role): Caller => (caller.role === role ? caller : { ...caller, role });

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
/** The roles that may call an endpoint (API.md's endpoint table); /docs-json names them (x-roles). */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension('x-roles', roles));
/** No token needed (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
