import { applyDecorators, CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ApiQuery } from '@nestjs/swagger';
import { invalidField } from '../common/problem';
import { QUERY_DOCS, type QueryDoc } from './openapi/query-docs';

// API.md: unknown query parameters are rejected (400 naming the parameter), as unknown body fields are,
// so a filter the service does not know is never silently ignored. An /api/v1 route takes only the
// parameters it declares with @QueryParams; a route that declares none takes none. The same list
// describes the parameters in /docs-json (QUERY_DOCS, or a route's own `{ name, ...doc }`).
export const QUERY_PARAMS_KEY = 'apkt:query-params';
export type QueryParam = string | ({ name: string } & QueryDoc);

export const QueryParams = (...params: QueryParam[]) =>
  applyDecorators(
    SetMetadata(
      QUERY_PARAMS_KEY,
      params.map((p) => (typeof p === 'string' ? p : p.name)),
    ),
    ...params.map((p) => {
      const { name, ...doc } = typeof p === 'string' ? { name: p, ...(QUERY_DOCS[p] ?? { schema: { type: 'string' as const }, description: '' }) } : p;
      return ApiQuery({ name, required: doc.required ?? false, description: doc.description || undefined, schema: doc.schema, ...(doc.schema.type === 'array' ? { style: 'form', explode: false } : {}) });
    }),
  );

/** The first query parameter `allowed` does not name, if any. */
export function unknownQueryParam(query: Record<string, unknown> | undefined, allowed: readonly string[]): string | undefined {
  return Object.keys(query ?? {}).find((name) => !allowed.includes(name));
}

@Injectable()
export class KnownQueryGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ url: string; query?: Record<string, unknown> }>();
    if (!request.url.startsWith('/api/')) return true; // docs, health and metrics keep their own conventions
    const allowed = this.reflector.getAllAndOverride<string[] | undefined>(QUERY_PARAMS_KEY, [context.getHandler(), context.getClass()]) ?? [];
    const unknown = unknownQueryParam(request.query, allowed);
    if (unknown !== undefined) {
      throw invalidField(unknown, allowed.length ? `unknown query parameter; this endpoint takes ${allowed.join(', ')}` : 'unknown query parameter; this endpoint takes none');
    }
    return true;
  }
}
