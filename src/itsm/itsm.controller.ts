import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, Roles } from '../auth/roles';
import { ItsmNoteDto, ItsmStatusDto } from './itsm.dto';
import { type ListQuery, parseListQuery } from './itsm.query';
import { ItsmService } from './itsm.service';
import { QueryParams } from '../http/query-params';
import type { ItsmReferenceView } from './itsm.view';
import { Idempotency, IdempotentWork, type IdempotentRequest } from '../http/idempotency';

@ApiTags('itsm-references')
@ApiBearerAuth()
@Controller('api/v1/itsm-references')
export class ItsmController {
  constructor(private readonly itsm: ItsmService) {}

  @Roles('cso', 'backoffice', 'admin')
  @Get()
  @QueryParams('status', 'idPel', 'phone', 'limit', 'cursor')
  list(@Query() query: ListQuery): Promise<{ items: ItsmReferenceView[]; nextCursor: string | null }> {
    return this.itsm.list(parseListQuery(query));
  }

  @Roles('cso', 'backoffice', 'admin')
  @Get(':id')
  get(@Param('id') id: string): Promise<ItsmReferenceView> {
    return this.itsm.get(id);
  }

  @Roles('cso')
  @Post(':id/notes')
  @IdempotentWork()
  addNote(@Param('id') id: string, @Body() dto: ItsmNoteDto, @CurrentCaller() caller: Caller, @Idempotency() idempotent?: IdempotentRequest): Promise<ItsmReferenceView> {
    return this.itsm.addNote(id, caller.sub, dto.note, idempotent);
  }

  @Roles('itsm')
  @Post(':id/status')
  @HttpCode(200)
  @IdempotentWork(200)
  reportStatus(@Param('id') id: string, @Body() dto: ItsmStatusDto, @Idempotency() idempotent?: IdempotentRequest): Promise<ItsmReferenceView> {
    return this.itsm.reportStatus(id, dto.status, idempotent);
  }
}
