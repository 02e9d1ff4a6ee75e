import { Module } from '@nestjs/common';
import { ItsmModule } from '../itsm/itsm.module';
import { ListriquModule } from '../listriqu/listriqu.module';
import { TicketsModule } from '../tickets/tickets.module';
import { UnitsModule } from '../units/units';
import { AppProblemIntakeService } from './app-problem-intake.service';
import { ImlController } from './iml.controller';
import { ImlCorrectionsService } from './iml-corrections.service';
import { ImlIntakeService } from './iml-intake.service';
import { IntakeController } from './intake.controller';
import { ListriquOrderStatusController } from './listriqu-order-status.controller';
import { RepeatReportsService } from './repeat-reports.service';
import { TicketIntakeService } from './ticket-intake.service';

// The intake workflows (DOMAIN.md: create, re-reports and confirmation, induction stoves, IML, app
// problems). They change tickets only through the ticket core's service; nothing below imports them.
@Module({
  imports: [TicketsModule, ListriquModule, ItsmModule, UnitsModule],
  controllers: [IntakeController, ImlController, ListriquOrderStatusController],
  providers: [TicketIntakeService, RepeatReportsService, ImlIntakeService, ImlCorrectionsService, AppProblemIntakeService],
  exports: [RepeatReportsService],
})
export class IntakeModule {}
