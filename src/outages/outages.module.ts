import { Module } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { TicketsModule } from '../tickets/tickets.module';
import { UnitsModule } from '../units/units';
import { OutageSummariesInterceptor } from './outage-summaries.interceptor';
import { OutagesController } from './outages.controller';
import { OutagesRepository } from './outages.repository';
import { OutagesService } from './outages.service';

@Module({
  imports: [TicketsModule, UnitsModule],
  controllers: [OutagesController],
  providers: [OutagesService, OutagesRepository, { provide: APP_INTERCEPTOR, useClass: OutageSummariesInterceptor }],
  exports: [OutagesService],
})
export class OutagesModule {}
