import { Module } from '@nestjs/common';
import { TicketsModule } from '../tickets/tickets.module';
import { UnitsModule } from '../units/units';
import { OutageSummaries } from './outage-summaries';
import { OutagesController } from './outages.controller';
import { OutagesRepository } from './outages.repository';
import { OutagesService } from './outages.service';

@Module({
  imports: [TicketsModule, UnitsModule],
  controllers: [OutagesController],
  providers: [OutagesService, OutagesRepository, OutageSummaries],
  exports: [OutagesService, OutageSummaries],
})
export class OutagesModule {}
