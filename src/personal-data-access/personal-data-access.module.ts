import { Global, Module } from '@nestjs/common';
import { AccessLog } from './access-log';
import { AccessLogRepository } from './access-log.repository';
import { LookupRateGuard } from './lookup-rate.guard';
import { LookupRateRepository } from './lookup-rate.repository';

/**
 * R-P1's recorder and R-P5's limiter, global because every module's routes use them (the access-log hook,
 * the change stream, the lookup routes' guard) and they depend on nothing but the database.
 */
@Global()
@Module({
  providers: [AccessLog, AccessLogRepository, LookupRateRepository, LookupRateGuard],
  exports: [AccessLog, AccessLogRepository, LookupRateRepository, LookupRateGuard],
})
export class PersonalDataAccessModule {}
