import { applyDecorators, CanActivate, ExecutionContext, Inject, Injectable, UseGuards } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { LIMITED_ROLES, namesCustomer, retryAfterSeconds } from './lookup-rate.rule';
import { LookupRateRepository } from './lookup-rate.repository';
import { PersonalDataAccessErrorCode, PersonalDataAccessException } from './personal-data-access.exception';

/**
 * R-P5: a person's customer lookups (routes marked @LookupRateLimited whose query names a customer) are
 * counted over the last 60 seconds in PostgreSQL, so every replica shares one count; past
 * LOOKUP_RATE_PER_MINUTE within any minute → 429 with Retry-After (until the oldest of them is a minute
 * old). Runs after the global guards: 401, 403 and unknown parameters come first.
 */
@Injectable()
export class LookupRateGuard implements CanActivate {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly repository: LookupRateRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const request = context.switchToHttp().getRequest<{ caller?: Caller; query?: Record<string, unknown> }>();
    const caller = request.caller;
    if (!caller || !LIMITED_ROLES.has(caller.role) || !namesCustomer(request.query)) return true;
    const limit = this.config.lookupRatePerMinute ?? 60;
    const wait = await this.repository.take(caller.sub, this.clock.now(), limit);
    if (wait === 0) return true;
    throw Object.assign(new PersonalDataAccessException(PersonalDataAccessErrorCode.TOO_MANY_LOOKUPS, `At most ${limit} customer lookups a minute (R-P5); try again later`), {
      retryAfter: retryAfterSeconds(wait),
    });
  }
}

/** The route is a customer lookup when its query names a customer: counted, and 429 past the limit (R-P5). */
export const LookupRateLimited = () =>
  applyDecorators(
    UseGuards(LookupRateGuard),
    ApiResponse({
      status: 429,
      description: 'More customer lookups within the last 60 seconds than LOOKUP_RATE_PER_MINUTE allows (R-P5)',
      headers: { 'Retry-After': { description: 'Seconds until the oldest of those lookups is a minute old', schema: { type: 'string' } } },
      content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
    }),
  );
