import { Controller, Get, Module } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer } from '../http/openapi/answers';
import { Public } from '../auth/roles';
import { PrismaService } from '../database/prisma.service';
import { Problem, ProblemCode } from '../http/problem';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly prisma: PrismaService) {}

  @ApiOperation({ operationId: 'getLiveness', summary: 'Is the process up' })
  @Answer(200, 'Health', 'The process answers')
  @Public()
  @Get('live')
  live(): { status: string } {
    return { status: 'ok' };
  }

  @ApiOperation({ operationId: 'getReadiness', summary: 'Is the database reachable' })
  @Answer(200, 'Health', 'The database answers')
  @Public()
  @Get('ready')
  async ready(): Promise<{ status: string }> {
    try {
      await this.prisma.$queryRaw`SELECT 1`;
    } catch {
      throw new Problem(ProblemCode.UNAVAILABLE, 'The database does not answer');
    }
    return { status: 'ok' };
  }
}

@Module({ controllers: [HealthController] })
export class HealthModule {}
