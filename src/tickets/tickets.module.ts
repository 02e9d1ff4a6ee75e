import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module';
import { ItsmModule } from '../itsm/itsm.module';
import { ListriquModule } from '../listriqu/listriqu.module';
import { SlaModule } from '../sla/policies';
import { UnitsModule } from '../units/units';
import { AppProblemIntakeService } from './app-problem-intake.service';
import { ChangeMarkers } from './change-markers';
import { ImlController, ListriquOrderStatusController } from './iml.controller';
import { ImlCorrectionsService } from './iml-corrections.service';
import { ImlIntakeService } from './iml-intake.service';
import { RatingService } from './rating.service';
import { RepeatReportsService } from './repeat-reports.service';
import { TicketSearchRepository } from './ticket-search.repository';
import { TicketSearchService } from './ticket-search.service';
import { TicketEscalationsService } from './ticket-escalations.service';
import { TicketJobsService } from './ticket-jobs.service';
import { OutagePort } from './outage-port';
import { OutageTicketsRepository } from './outage-tickets.repository';
import { OutageTicketsService } from './outage-tickets.service';
import { TicketJobsRepository } from './ticket-jobs.repository';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

@Module({
  imports: [UnitsModule, SlaModule, EscalationModule, ItsmModule, ListriquModule],
  controllers: [TicketsController, ImlController, ListriquOrderStatusController],
  providers: [ChangeMarkers, TicketsService, TicketsRepository, TicketJobsService, TicketJobsRepository, RepeatReportsService, ImlIntakeService, ImlCorrectionsService, AppProblemIntakeService, TicketSearchService, TicketSearchRepository, RatingService, TicketEscalationsService, OutagePort, OutageTicketsService, OutageTicketsRepository],
  exports: [ChangeMarkers, TicketsService, TicketJobsService, RepeatReportsService, TicketSearchService, RatingService, TicketEscalationsService, OutagePort, OutageTicketsService],
})
export class TicketsModule {}
