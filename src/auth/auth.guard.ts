import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Problem, ProblemCode } from '../common/problem';
import { CallerRefused } from './claims.rule';
import { bearerToken, verifierFor } from './jwt';
import { actingAs, actingRole, Caller, PUBLIC_KEY, Role, ROLES_KEY } from './roles';

// Every /api/v1 endpoint: a valid token (else 401), and a role listed on the endpoint (else 403). A caller
// holding several roles acts under the first one the endpoint admits (R-U3).
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
    const caller = request.caller ?? (await this.verify(request.headers.authorization)); // the hooks before may have verified it
    const admitted = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES_KEY, targets);
    const role = actingRole(caller, admitted);
    if (!role) throw new Problem(ProblemCode.FORBIDDEN, `Role ${caller.roles.join(', ')} may not call this endpoint`);
    request.caller = actingAs(caller, role);
    return true;
  }

  private async verify(authorization: string | undefined): Promise<Caller> {
    const token = bearerToken(authorization);
    if (!token) throw new Problem(ProblemCode.UNAUTHORIZED, 'A Bearer token is required');
    try {
      return await verifierFor(this.config).verify(token);
    } catch (error) {
      if (error instanceof CallerRefused && error.status === 403) throw new Problem(ProblemCode.FORBIDDEN, error.message);
      throw new Problem(ProblemCode.UNAUTHORIZED, 'The token is malformed, expired, badly signed or not of the accepted issuer and audience');
    }
  }
}
