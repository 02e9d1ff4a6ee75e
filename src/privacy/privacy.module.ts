import { OutboundModule } from '../outbound/outbound.module';
import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module';
import { ItsmModule } from '../itsm/itsm.module';
import { ListriquModule } from '../listriqu/listriqu.module';
import { TicketsModule } from '../tickets/tickets.module';
import { PrivacyController } from './privacy.controller';
import { PrivacyRepository } from './privacy.repository';
import { PrivacyService } from './privacy.service';

@Module({
  imports: [TicketsModule, ListriquModule, ItsmModule, EscalationModule, OutboundModule],
  controllers: [PrivacyController],
  providers: [PrivacyService, PrivacyRepository],
  exports: [PrivacyService],
})
export class PrivacyModule {}
