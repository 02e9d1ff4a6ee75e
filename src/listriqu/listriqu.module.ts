import { Module } from '@nestjs/common';
import { ListriquController } from './listriqu.controller';
import { ListriquRepository } from './listriqu.repository';
import { ListriquService } from './listriqu.service';

// Coverage and orders. The tickets module forwards, corrects, re-reports and records order progress
// through ListriquService, inside its own transactions.
@Module({
  controllers: [ListriquController],
  providers: [ListriquService, ListriquRepository],
  exports: [ListriquService],
})
export class ListriquModule {}
