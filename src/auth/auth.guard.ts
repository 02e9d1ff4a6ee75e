import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Problem, ProblemCode } from '../http/problem';
import { bearerToken, verifyToken } from './jwt';
import { Caller, PUBLIC_KEY, Role, ROLES_KEY } from './roles';

// Every /api/v1 endpoint: a valid HS256 token (else 401), and a role listed on the endpoint (else 403).
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(PUBLIC_KEY, targets)) return true;
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; caller?: Caller }>();
    request.caller ??= await this.verify(request.headers.authorization); // the idempotency hook may have verified it
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    if (roles && !roles.includes(request.caller.role)) {
      throw new Problem(ProblemCode.FORBIDDEN, `Role ${request.caller.role} may not call this endpoint`);
    }
    return true;
  }

  private async verify(authorization: string | undefined): Promise<Caller> {
    const token = bearerToken(authorization);
    if (!token) throw new Problem(ProblemCode.UNAUTHORIZED, 'A Bearer token is required');
    try {
      return await verifyToken(token, this.config.jwtSecret as string);
    } catch {
      throw new Problem(ProblemCode.UNAUTHORIZED, 'The token is malformed, expired or badly signed');
    }
  }
}
