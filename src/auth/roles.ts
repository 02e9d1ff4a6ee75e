import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiExtension } from '@nestjs/swagger';

export const ROLES = ['cso', 'mobile', 'unit', 'backoffice', 'admin', 'listriqu', 'itsm'] as const;
export type Role = (typeof ROLES)[number];

export interface Caller {
  sub: string;
  role: Role;
  unit?: string;
}

export const ROLES_KEY = 'roles';
export const PUBLIC_KEY = 'public';
/** The roles that may call an endpoint (API.md's endpoint table); /docs-json names them (x-roles). */
export const Roles = (...roles: Role[]) => applyDecorators(SetMetadata(ROLES_KEY, roles), ApiExtension('x-roles', roles));
/** No token needed (health, metrics). */
export const Public = () => SetMetadata(PUBLIC_KEY, true);
