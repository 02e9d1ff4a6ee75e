import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module';
import { IntakeModule } from '../intake/intake.module';
import { ItsmModule } from '../itsm/itsm.module';
import { ListriquModule } from '../listriqu/listriqu.module';
import { TicketsModule } from '../tickets/tickets.module';
import { CustomersController } from './customers.controller';
import { LookupService } from './lookup.service';
import { ReReportPreviewService } from './re-report-preview.service';
import { TicketLookupController } from './ticket-lookup.controller';

// DOMAIN.md §12: finding the customer (R-L1), the re-report preview (R-L2), PLN Mobile's view (R-L3) and
// the rating (R-L4). It owns no table: each module's service answers for its own.
@Module({
  imports: [TicketsModule, IntakeModule, ListriquModule, ItsmModule, EscalationModule],
  controllers: [CustomersController, TicketLookupController],
  providers: [LookupService, ReReportPreviewService],
})
export class LookupModule {}
