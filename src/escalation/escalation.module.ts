import { Module } from '@nestjs/common';
import { EscalationController } from './escalation.controller';
import { EscalationRepository } from './escalation.repository';
import { EscalationService } from './escalation.service';

@Module({ controllers: [EscalationController], providers: [EscalationService, EscalationRepository], exports: [EscalationService] })
export class EscalationModule {}
