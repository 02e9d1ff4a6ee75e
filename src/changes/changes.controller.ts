import { Controller, Get, Headers, Query, Req, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, Roles } from '../auth/roles';
import { type ClientGone, ClientGoneSignal } from '../http/client-gone';
import { Answer, EventStreamAnswer } from '../http/openapi/answers';
import { QueryParams } from '../http/query-params';
import { AccessLog } from '../personal-data-access/access-log';
import { seenIn } from '../personal-data-access/access-extract';
import { ChangeStream } from './change-stream';
import { type ChangesPage, type ChangesQuery, ChangesService } from './changes.service';

@ApiTags('ticket-changes')
@ApiBearerAuth()
@Controller('api/v1/ticket-changes')
export class ChangesController {
  constructor(
    private readonly changes: ChangesService,
    private readonly stream: ChangeStream,
    private readonly accessLog: AccessLog,
  ) {}

  @Roles('cso', 'mobile', 'unit', 'backoffice', 'admin')
  @Get()
  @QueryParams('after', 'unitCode', 'limit')
  @Answer(200, 'TicketChangesPage', 'The changed tickets and the position to read on from')
  @ApiOperation({ operationId: 'listTicketChanges', summary: 'The tickets whose latest change comes after a position, in commit order (R-F1, R-F2)' })
  read(@CurrentCaller() caller: Caller, @Query() query: ChangesQuery, @ClientGoneSignal() client: ClientGone): Promise<ChangesPage> {
    return this.changes.read(caller, query, client.signal);
  }

  @Roles('cso', 'mobile', 'unit', 'backoffice', 'admin')
  @Get('stream')
  @QueryParams('unitCode')
  @EventStreamAnswer(
    'Each change as an event named ticket whose id is its position and whose data is the Ticket JSON; a comment line every 15 s',
    ': connected\n\nid: 1:0\nevent: ticket\ndata: {"number":"G5422026000123","status":"LAPOR",…}\n\n',
  )
  @ApiOperation({ operationId: 'getTicketChangeStream', summary: 'The change feed as server-sent events, resumable with Last-Event-ID (R-F3)' })
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received: the stream starts after it', schema: { type: 'string' } })
  async open(
    @CurrentCaller() caller: Caller,
    @Query('unitCode') unitCode: string | undefined,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    const follows = this.changes.follower(await this.changes.root(caller, unitCode));
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
      follows,
      write: (chunk) => void raw.write(chunk),
      end: () => raw.end(),
      // R-P1: each ticket the stream delivers is recorded like an answer of the feed
      sent: (view) =>
        this.accessLog.record({ sub: caller.sub, role: caller.role, endpoint: 'GET /api/v1/ticket-changes/stream', requestId: String(request.id), seen: seenIn('GET', '/api/v1/ticket-changes', { items: [view] }, undefined, undefined) }),
    });
    request.raw.on('close', stop);
  }
}
