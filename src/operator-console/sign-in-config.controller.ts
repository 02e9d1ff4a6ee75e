import { Controller, Get, Inject, Module } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '../auth/roles';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { Answer } from '../http/openapi/answers';
import type { ConsoleSignIn } from './sign-in-config.view';

export type { ConsoleSignIn };

/**
 * R-U5: the console is configured from the service, not built per deployment: where people sign in
 * and as which client. Read per request, since the development mode points the configuration at the
 * embedded provider (R-U6) only once it is listening.
 */
@ApiTags('console')
@Controller('console')
export class ConsoleSignInController {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  @ApiOperation({ operationId: 'getConsoleSignIn', summary: 'How the operator console signs people in' })
  @Answer(200, 'ConsoleSignIn', 'The issuer, client and scope of the console')
  @Public()
  @Get('config.json')
  signIn(): ConsoleSignIn {
    return {
      issuer: this.config.oidcIssuer ?? null,
      clientId: this.config.oidcConsoleClientId ?? 'apkt-console',
      scope: this.config.oidcConsoleScope ?? 'openid profile',
      rolesClaim: this.config.oidcRolesClaim ?? 'role',
      unitClaim: this.config.oidcUnitClaim ?? 'unit',
    };
  }
}

@Module({ controllers: [ConsoleSignInController] })
export class ConsoleSignInModule {}
