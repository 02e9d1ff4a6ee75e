import { Module } from '@nestjs/common';
import { ItsmController } from './itsm.controller';
import { ItsmRepository } from './itsm.repository';
import { ItsmService } from './itsm.service';

@Module({ controllers: [ItsmController], providers: [ItsmService, ItsmRepository], exports: [ItsmService] })
export class ItsmModule {}
