import { forwardRef, Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { ListriquController } from './listriqu.controller';
import { ListriquRepository } from './listriqu.repository';
import { ListriquService } from './listriqu.service';

// The tickets side forwards, corrects and re-reports through ListriquService, and a status report from
// ListriQu is recorded in the forwarded ticket's history through TicketsService: hence the forwardRef.
@Module({
  imports: [forwardRef(() => TicketsModule)],
  controllers: [ListriquController],
  providers: [ListriquService, ListriquRepository],
  exports: [ListriquService],
})
export class ListriquModule {}
