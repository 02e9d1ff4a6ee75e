import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module';
import { ItsmModule } from '../itsm/itsm.module';
import { ListriquModule } from '../listriqu/listriqu.module';
import { UnitsModule } from '../units/units';
import { AppProblemIntakeService } from './app-problem-intake.service';
import { ChangeMarkers } from './change-markers';
import { ImlController, ListriquOrderStatusController } from './iml.controller';
import { ImlCorrectionsService } from './iml-corrections.service';
import { ImlIntakeService } from './iml-intake.service';
import { RepeatReportsService } from './repeat-reports.service';
import { TicketJobsService } from './ticket-jobs.service';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

@Module({
  imports: [UnitsModule, EscalationModule, ItsmModule, ListriquModule],
  controllers: [TicketsController, ImlController, ListriquOrderStatusController],
  providers: [ChangeMarkers, TicketsService, TicketsRepository, TicketJobsService, RepeatReportsService, ImlIntakeService, ImlCorrectionsService, AppProblemIntakeService],
  exports: [TicketsService, TicketJobsService, ChangeMarkers],
})
export class TicketsModule {}
