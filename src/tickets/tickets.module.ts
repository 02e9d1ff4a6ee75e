import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module';
import { SlaModule } from '../sla/policies';
import { UnitsModule } from '../units/units';
import { RepeatReportsService } from './repeat-reports.service';
import { TicketJobsService } from './ticket-jobs.service';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

@Module({
  imports: [UnitsModule, SlaModule, EscalationModule],
  controllers: [TicketsController],
  providers: [TicketsService, TicketsRepository, TicketJobsService, RepeatReportsService],
  exports: [TicketsService, TicketJobsService],
})
export class TicketsModule {}
