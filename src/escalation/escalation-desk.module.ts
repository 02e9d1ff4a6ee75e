import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { EscalationController } from './escalation.controller';
import { EscalationModule } from './escalation.module';

// The back office's routes (R-E1…R-E4): the queue, and the ticket events its work writes through the
// tickets module (TicketEscalationsService). A module of its own so the dependency runs one way.
@Module({ imports: [EscalationModule, TicketsModule], controllers: [EscalationController] })
export class EscalationDeskModule {}
