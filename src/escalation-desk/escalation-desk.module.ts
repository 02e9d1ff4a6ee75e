import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { EscalationController } from './escalation.controller';
import { EscalationModule } from '../escalation/escalation.module';

// The back office's routes (R-E1…R-E4): the queue, and the ticket events its work writes through the
// tickets module (TicketEscalationsService). A folder of its own above both, so that tickets → escalation
// is the only way between them.
@Module({ imports: [EscalationModule, TicketsModule], controllers: [EscalationController] })
export class EscalationDeskModule {}
