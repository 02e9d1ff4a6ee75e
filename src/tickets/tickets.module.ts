import { Module } from '@nestjs/common';
import { SlaModule } from '../sla/policies';
import { UnitsModule } from '../units/units';
import { TicketsController } from './tickets.controller';
import { TicketsRepository } from './tickets.repository';
import { TicketsService } from './tickets.service';

@Module({
  imports: [UnitsModule, SlaModule],
  controllers: [TicketsController],
  providers: [TicketsService, TicketsRepository],
  exports: [TicketsService],
})
export class TicketsModule {}
