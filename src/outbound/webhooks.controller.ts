import { Body, Controller, Delete, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/caller.decorator';
import { UnitScopes } from '../units/unit-scopes';
import { ANY_UNIT_CODE } from '../units/unit-tree.rules';
import { type Caller, Roles } from '../auth/roles';
import { decodeCursor, encodeCursor, parseLimit } from '../common/cursor';
import { invalidInput } from '../common/domain.exception';
import { parseEnumList } from '../common/list-query';
import { Answer, EmptyAnswer } from '../http/openapi/answers';
import { enumList } from '../http/openapi/query-docs';
import { QueryParams } from '../http/query-params';
import { refuseBodyFields } from '../http/validation';
import { DigestService } from './digest.service';
import { MESSAGE_STATUSES } from './outbound.rules';
import type { OutboundMessageAnswer, WebhookAnswer } from './outbound.view';
import { CreateWebhookDto, ReplayDto, UpdateWebhookDto } from './webhooks.dto';
import { WebhooksService } from './webhooks.service';

const seqOf = (cursor: string | undefined): bigint | undefined => {
  const key = decodeCursor(cursor, 1);
  if (key && !/^\d+$/.test(String(key[0]))) throw invalidInput('cursor', 'not a cursor this service issued');
  return key ? BigInt(key[0]) : undefined;
};
const cursorOf = (seq: bigint | null): string | null => (seq === null ? null : encodeCursor([seq.toString()]));
/** The endpoint's id as the document states it: a UUID; any other id names no endpoint (404). */
const WebhookId = () => ApiParam({ name: 'id', description: 'Identifier of the webhook endpoint (a UUID)', schema: { type: 'string', format: 'uuid' } });

/** R-W1, R-W3, R-W5: webhook endpoints and their messages (admin). */
@ApiTags('webhooks')
@ApiBearerAuth()
@Controller('api/v1/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhooksService) {}

  @ApiOperation({ operationId: 'listWebhooks', summary: 'List webhook endpoints (R-W1)' })
  @Answer(200, 'WebhookList', 'Every endpoint')
  @Roles('admin')
  @Get()
  list(): Promise<{ items: WebhookAnswer[] }> {
    return this.webhooks.list();
  }

  @ApiOperation({ operationId: 'createWebhook', summary: 'Register a webhook endpoint; its secret is shown only here (R-W1, R-W6)' })
  @Answer(201, 'WebhookWithSecret', 'The endpoint with its secret')
  @Roles('admin')
  @Post()
  create(@Body() dto: CreateWebhookDto): Promise<WebhookAnswer> {
    return this.webhooks.create({ url: dto.url, description: dto.description, eventTypes: dto.eventTypes, unitCodes: dto.unitCodes });
  }

  @ApiOperation({ operationId: 'getWebhook', summary: 'Read a webhook endpoint' })
  @Answer(200, 'Webhook', 'The endpoint')
  @Roles('admin')
  @Get(':id')
  @WebhookId()
  get(@Param('id') id: string): Promise<WebhookAnswer> {
    return this.webhooks.get(id);
  }

  @ApiOperation({ operationId: 'updateWebhook', summary: 'Change a webhook endpoint (R-W1, R-W6)' })
  @Answer(200, 'Webhook', 'The changed endpoint')
  @Roles('admin')
  @Patch(':id')
  @WebhookId()
  update(@Param('id') id: string, @Body() dto: UpdateWebhookDto): Promise<WebhookAnswer> {
    return this.webhooks.update(id, dto);
  }

  @ApiOperation({ operationId: 'removeWebhook', summary: 'Remove a webhook endpoint and its messages' })
  @EmptyAnswer(204, 'Removed')
  @Roles('admin')
  @Delete(':id')
  @WebhookId()
  @HttpCode(204)
  remove(@Param('id') id: string): Promise<void> {
    return this.webhooks.remove(id);
  }

  @ApiOperation({ operationId: 'rotateWebhookSecret', summary: 'A new secret; the old one also signs for 24 h (R-W3)' })
  @Answer(200, 'WebhookWithSecret', 'The endpoint with its new secret')
  @Roles('admin')
  @Post(':id/rotate-secret')
  @WebhookId()
  @HttpCode(200)
  rotate(@Param('id') id: string, @Body() body: unknown): Promise<WebhookAnswer> {
    refuseBodyFields(body);
    return this.webhooks.rotate(id);
  }

  @ApiOperation({ operationId: 'listWebhookMessages', summary: "An endpoint's messages with their attempts, newest first (R-W5)" })
  @Answer(200, 'OutboundMessagePage', 'A page of messages')
  @Roles('admin')
  @Get(':id/messages')
  @WebhookId()
  @QueryParams({ name: 'status', ...enumList('Message statuses to include', MESSAGE_STATUSES) }, 'limit', 'cursor')
  async messages(@Param('id') id: string, @Query() query: { status?: string | string[]; limit?: string; cursor?: string }): Promise<{ items: OutboundMessageAnswer[]; nextCursor: string | null }> {
    const statuses = parseEnumList('status', query.status, MESSAGE_STATUSES);
    const page = await this.webhooks.messages(id, statuses, seqOf(query.cursor), parseLimit(query.limit));
    return { items: page.items, nextCursor: cursorOf(page.nextSeq) };
  }

  @ApiOperation({ operationId: 'resendWebhookMessage', summary: 'Send a message again, under the same webhook-id (R-W5)' })
  @Answer(202, 'OutboundMessage', 'The message, queued')
  @Roles('admin')
  @Post(':id/messages/:messageId/resend')
  @WebhookId()
  @HttpCode(202)
  resend(@Param('id') id: string, @Param('messageId') messageId: string, @Body() body: unknown): Promise<OutboundMessageAnswer> {
    refuseBodyFields(body);
    return this.webhooks.resend(id, messageId);
  }

  @ApiOperation({ operationId: 'replayWebhook', summary: 'Send again every message since a time (R-W5)' })
  @Answer(202, 'ReplayAnswer', 'How many messages were queued')
  @Roles('admin')
  @Post(':id/replay')
  @WebhookId()
  @HttpCode(202)
  replay(@Param('id') id: string, @Body() dto: ReplayDto): Promise<{ queued: number }> {
    return this.webhooks.replay(id, new Date(dto.since));
  }
}

/** R-W7: the over-SLA mails, sent or kept. */
@ApiTags('notifications')
@ApiBearerAuth()
@Controller('api/v1/notifications')
export class NotificationsController {
  constructor(
    private readonly digests: DigestService,
    private readonly scopes: UnitScopes,
  ) {}

  @ApiOperation({ operationId: 'listNotifications', summary: 'The over-SLA mails of a unit and the units beneath it, sent or kept (R-W7, R-H3)' })
  @Answer(200, 'OutboundMessagePage', 'A page of mails, newest first')
  @Roles('admin', 'unit')
  @Get()
  @QueryParams('unitCode', 'limit', 'cursor')
  async list(@Query() query: { unitCode?: string; limit?: string; cursor?: string }, @CurrentCaller() caller: Caller): Promise<{ items: OutboundMessageAnswer[]; nextCursor: string | null }> {
    if (query.unitCode !== undefined && !ANY_UNIT_CODE.test(query.unitCode)) throw invalidInput('unitCode', 'unitCode is a unit code of 2–5 digits');
    // R-H2, R-H3: the mails of the unit asked and of every unit beneath it (a UP3's and its ULPs'); a unit
    // caller asks within its subtree (its own unit by default; outside it, narrowed to its own), an admin
    // anywhere (by default every mail, the notices of disabled endpoints too)
    const { outside } = await this.scopes.narrowed(caller, query.unitCode);
    const root = caller.role === 'unit' && (query.unitCode === undefined || outside) ? caller.unit : query.unitCode;
    const unitCodes = root === undefined ? undefined : await this.scopes.subtree(root);
    const page = await this.digests.list(unitCodes, seqOf(query.cursor), parseLimit(query.limit));
    return { items: page.items, nextCursor: cursorOf(page.nextSeq) };
  }
}
