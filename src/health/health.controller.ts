import { Controller, Get, Module } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer } from '../http/openapi/answers';
import { Public } from '../auth/roles';
import { RETRY_AFTER_DOWN_S } from '../database/faults';
import { unavailable } from '../common/problem';
import { Readiness } from './readiness';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

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
    // a check at most READINESS_FRESH_MS old, on a connection of its own (src/health/readiness.ts)
    if (!(await this.readiness.ready())) throw unavailable('The database does not answer', RETRY_AFTER_DOWN_S);
    return { status: 'ok' };
  }
}

@Module({ controllers: [HealthController], providers: [Readiness] })
export class HealthModule {}
