import { Controller, Get, Module } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer } from '../http/openapi/answers';
import { Public } from '../auth/roles';
import { PrismaService } from '../database/prisma.service';
import { RETRY_AFTER_DOWN_S } from '../database/faults';
import { unavailable } from '../common/problem';

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
      await this.prisma.ping(); // its own connection: load on the main pool cannot starve it
    } catch {
      throw unavailable('The database does not answer', RETRY_AFTER_DOWN_S);
    }
    return { status: 'ok' };
  }
}

@Module({ controllers: [HealthController] })
export class HealthModule {}
