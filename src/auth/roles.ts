import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const ROLES = ['cso', 'mobile', 'unit', 'backoffice', 'admin', 'listriqu', 'itsm'] as const;
export type Role = (typeof ROLES)[number];

/**
 * Who calls. `role` is the role the request acts under: the first of `roles` (in the token's order) that
 * the endpoint admits (R-U3; the auth guard sets it per request); `roles` all the caller holds; `name`
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
 * R-U3: the role a request acts under — the first of the caller's roles the endpoint admits (any role when
 * the endpoint names none), or undefined when none may call it (403).
 */
export const actingRole = (caller: Pick<Caller, 'roles'>, admitted: readonly Role[] | undefined): Role | undefined =>
  caller.roles.find((role) => !admitted || admitted.includes(role));

/** The caller acting under `role` (a new object: verified callers are shared between requests). */
export const actingAs = (caller: Caller, role: Role): Caller => (caller.role === role ? caller : { ...caller, role });

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
/** The roles that may call an endpoint (API.md's endpoint table); /docs-json names them (x-roles). */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension('x-roles', roles));
/** No token needed (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
