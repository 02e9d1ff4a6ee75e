import { Global, Module } from '@nestjs/common';
import { LocalCommits } from './commits';
import { PrismaService } from './prisma.service';
import { ReadRouter } from './read-router';

@Global()
@Module({ providers: [PrismaService, ReadRouter, LocalCommits], exports: [PrismaService, ReadRouter, LocalCommits] })
export class DatabaseModule {}
