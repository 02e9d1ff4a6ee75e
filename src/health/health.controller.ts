import { Controller, Get, Module } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer } from '../http/openapi/answers';
import { Public } from '../auth/roles';
import { RETRY_AFTER_DOWN_S } from '../database/faults';
import { unavailable } from '../common/problem';
import { HEALTHY, type HealthAnswer } from './health.view';
import { Readiness } from './readiness';

@ApiTags('operations')
@Controller('health')
export class HealthController {
  constructor(private readonly readiness: Readiness) {}

  @ApiOperation({ operationId: 'getLiveness', summary: 'Is the process up' })
  @Answer(200, 'Health', 'The process answers')
  @Public()
  @Get('live')
  live(): HealthAnswer {
    return HEALTHY;
  }

  @ApiOperation({ operationId: 'getReadiness', summary: 'Is the database reachable' })
  @Answer(200, 'Health', 'The database answers')
  @Public()
  @Get('ready')
  async ready(): Promise<HealthAnswer> {
    // a check at most READINESS_FRESH_MS old, on a connection of its own (src/health/readiness.ts)
    if (!(await this.readiness.ready())) throw unavailable('The database does not answer', RETRY_AFTER_DOWN_S);
    return HEALTHY;
  }

  /** HEALTH_PORT (opt-in, issue 30): the same answers on a port of their own; resolves with the port. */
  openHealthPort(port: number, host: string): Promise<number> {
    const problem = (path: string, detail: string) => JSON.stringify(unavailable(detail, RETRY_AFTER_DOWN_S).body(path));
    return this.readiness.openHealthPort(port, host, {
      ready: problem('/health/ready', 'The database does not answer'),
      live: problem('/health/live', 'The service does not run its event loop'),
      stopping: problem('/health/ready', 'The service is stopping'),
      retryAfterS: RETRY_AFTER_DOWN_S,
    });
  }
}

@Module({ controllers: [HealthController], providers: [Readiness] })
export class HealthModule {}
