import { Module } from '@nestjs/common';
import { EscalationRepository } from './escalation.repository';
import { EscalationService } from './escalation.service';

// The queue. Its HTTP routes live in EscalationDeskModule, which also needs the tickets module.
@Module({ providers: [EscalationService, EscalationRepository], exports: [EscalationService] })
export class EscalationModule {}
