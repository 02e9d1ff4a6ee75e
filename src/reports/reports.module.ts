import { Module } from '@nestjs/common';
import { EscalationModule } from '../escalation/escalation.module';
import { UnitsModule } from '../units/units';
import { ReportsController } from './reports.controller';
import { ReportsRepository } from './reports.repository';
import { ReportsService } from './reports.service';

@Module({ imports: [EscalationModule, UnitsModule], controllers: [ReportsController], providers: [ReportsService, ReportsRepository] })
export class ReportsModule {}
