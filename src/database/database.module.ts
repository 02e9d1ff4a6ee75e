import { Global, Module } from '@nestjs/common';
import { PrismaService } from './prisma.service';
import { ReadRouter } from './read-router';

@Global()
@Module({ providers: [PrismaService, ReadRouter], exports: [PrismaService, ReadRouter] })
export class DatabaseModule {}
