import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module';
import { SlaModule } from '../sla/policies';
import { UnitsModule } from '../units/units';
import { ChangeMarkers } from './change-markers';
import { RatingService } from './rating.service';
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
import { TicketPersonalDataRepository } from './ticket-personal-data.repository';
import { TicketPersonalDataService } from './ticket-personal-data.service';

@Module({
  imports: [UnitsModule, SlaModule, EscalationModule],
  controllers: [TicketsController],
  providers: [ChangeMarkers, TicketsService, TicketsRepository, TicketJobsService, TicketJobsRepository, TicketSearchService, TicketSearchRepository, RatingService, TicketEscalationsService, OutagePort, OutageTicketsService, OutageTicketsRepository, TicketPersonalDataService, TicketPersonalDataRepository],
  exports: [ChangeMarkers, TicketsService, TicketJobsService, TicketSearchService, RatingService, TicketEscalationsService, OutagePort, OutageTicketsService, TicketPersonalDataService],
})
export class TicketsModule {}
