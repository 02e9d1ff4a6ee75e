import { CanActivate, ExecutionContext, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { invalidField } from './problem';

// API.md: unknown query parameters are rejected (400 naming the parameter), as unknown body fields are,
// so a filter the service does not know is never silently ignored. An /api/v1 route takes only the
// parameters it declares with @QueryParams; a route that declares none takes none.
export const QUERY_PARAMS_KEY = 'apkt:query-params';
export const QueryParams = (...names: string[]) => SetMetadata(QUERY_PARAMS_KEY, names);

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
