import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { UnitsModule } from '../units/units';
import { ChangeStream } from './change-stream';
import { ChangesController } from './changes.controller';
import { ChangesRepository } from './changes.repository';
import { ChangesService } from './changes.service';

// DOMAIN.md §11: the change feed and its live stream (docs/change-feed.md).
@Module({
  imports: [TicketsModule, UnitsModule],
  controllers: [ChangesController],
  providers: [ChangesRepository, ChangesService, ChangeStream],
  exports: [ChangeStream],
})
export class ChangesModule {}
