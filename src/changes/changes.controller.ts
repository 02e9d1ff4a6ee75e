import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, Roles } from '../auth/roles';
import { QueryParams } from '../http/query-params';
import { ChangeStream } from './change-stream';
import { type ChangesPage, type ChangesQuery, ChangesService } from './changes.service';

@ApiTags('ticket-changes')
@ApiBearerAuth()
@Controller('api/v1/ticket-changes')
export class ChangesController {
  constructor(
    private readonly changes: ChangesService,
    private readonly stream: ChangeStream,
  ) {}

  @Roles('cso', 'mobile', 'unit', 'backoffice', 'admin')
  @Get()
  @QueryParams('after', 'unitCode', 'limit')
  @ApiOperation({ operationId: 'listTicketChanges', summary: 'The tickets whose latest change comes after a position, in commit order (R-F1, R-F2)' })
  read(@CurrentCaller() caller: Caller, @Query() query: ChangesQuery): Promise<ChangesPage> {
    return this.changes.read(caller, query);
  }

  @Roles('cso', 'mobile', 'unit', 'backoffice', 'admin')
  @Get('stream')
  @QueryParams('unitCode')
  @ApiProduces('text/event-stream')
  @ApiOperation({ operationId: 'streamTicketChanges', summary: 'The change feed as server-sent events, resumable with Last-Event-ID (R-F3)' })
  async open(
    @CurrentCaller() caller: Caller,
    @Query('unitCode') unitCode: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const scope = this.changes.scope(caller, unitCode);
    const start = lastEventId !== undefined ? this.changes.position('Last-Event-ID', lastEventId) : await this.changes.now();
    void reply.hijack(); // the stream outlives this handler; errors above still answer as problem+json
    const raw = reply.raw;
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no', // nginx would hold events back in its buffer
      'x-request-id': String(request.id),
    });
    raw.write(': connected\n\n'); // headers reach the client now, not with the first change
    const stop = this.stream.subscribe(start, {
      unitCode: scope,
      write: (chunk) => void raw.write(chunk),
      end: () => raw.end(),
    });
    request.raw.on('close', stop);
  }
}
