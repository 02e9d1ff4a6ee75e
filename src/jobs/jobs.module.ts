import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module';
import { ItsmModule } from '../itsm/itsm.module';
import { OutagesModule } from '../outages/outages.module';
import { TicketsModule } from '../tickets/tickets.module';
import { PrivacyModule } from '../privacy/privacy.module';
import { JobsService } from './jobs.service';

@Module({ imports: [TicketsModule, EscalationModule, ItsmModule, OutagesModule, PrivacyModule], providers: [JobsService], exports: [JobsService] })
export class JobsModule {}
