import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthGuard } from './auth/auth.guard';
import { ChangesModule } from './changes/changes.module';
import { Clock, SystemClock } from './clock/clock';
import { APP_CONFIG, AppConfig } from './config/config';
import { DatabaseModule } from './database/database.module';
import { EscalationDeskModule } from './escalation-desk/escalation-desk.module';
import { EscalationModule } from './escalation/escalation.module';
import { JobsModule } from './jobs/jobs.module';
import { ListriquModule } from './listriqu/listriqu.module';
import { LookupModule } from './lookup/lookup.module';
import { HealthModule } from './health/health.controller';
import { IntakeModule } from './intake/intake.module';
import { ItsmModule } from './itsm/itsm.module';
import { ProblemFilter } from './http/problem.filter';
import { RequestPressure } from './http/request-pressure';
import { KnownQueryGuard } from './http/query-params';
import { MetricsModule } from './metrics/metrics';
import { OutboundModule } from './outbound/outbound.module';
import { ReportsModule } from './reports/reports.module';
import { SlaModule } from './sla/policies';
import { TicketsModule } from './tickets/tickets.module';
import { UnitsModule } from './units/units';
import { ConsoleSignInModule } from './operator-console/sign-in-config.controller';
import { PersonalDataAccessModule } from './personal-data-access/personal-data-access.module';
import { PrivacyModule } from './privacy/privacy.module';

@Module({})
export class AppModule {
  static forRoot(config: AppConfig, clock: Clock = new SystemClock()): DynamicModule {
    return {
      module: AppModule,
      global: true,
      imports: [ScheduleModule.forRoot(), DatabaseModule, MetricsModule, HealthModule, UnitsModule, SlaModule, EscalationModule, ItsmModule, ListriquModule, TicketsModule, IntakeModule, LookupModule, EscalationDeskModule, JobsModule, ReportsModule, ChangesModule, ConsoleSignInModule, OutboundModule, PersonalDataAccessModule, PrivacyModule],
      providers: [
        { provide: APP_CONFIG, useValue: config },
        { provide: Clock, useValue: clock },
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_GUARD, useClass: KnownQueryGuard }, // after AuthGuard: 401/403 before 400
        { provide: APP_FILTER, useClass: ProblemFilter },
        RequestPressure,
      ],
      exports: [APP_CONFIG, Clock, RequestPressure],
    };
  }
}
