import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer } from '../http/openapi/answers';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, Roles } from '../auth/roles';
import { ItsmNoteDto, ItsmStatusDto } from './itsm.dto';
import { type ListQuery, parseListQuery } from './itsm.query';
import { ItsmService } from './itsm.service';
import { QueryParams } from '../http/query-params';
import { LookupRateLimited } from '../personal-data-access/lookup-rate.guard';
import { enumList, EXACT_PHONE } from '../http/openapi/query-docs';
import { ITSM_STATUSES } from './itsm.rules';
import type { ItsmReferenceAnswer } from './itsm.view';
import { Idempotency, IdempotentWork, type IdempotentRequest } from '../http/idempotency';

@ApiTags('itsm-references')
@ApiBearerAuth()
@Controller('api/v1/itsm-references')
export class ItsmController {
  constructor(private readonly itsm: ItsmService) {}

  @ApiOperation({ operationId: 'listItsmReferences', summary: 'List ITSM references' })
  @Answer(200, 'ItsmReferencePage', 'A page of references')
  @Roles('cso', 'backoffice', 'admin')
  @LookupRateLimited() // R-P5: counted when the query names a customer (idPel, phone)
  @Get()
  @QueryParams({ name: 'status', ...enumList('Reference statuses to include', ITSM_STATUSES) }, 'idPel', { name: 'phone', ...EXACT_PHONE }, 'limit', 'cursor')
  list(@Query() query: ListQuery): Promise<{ items: ItsmReferenceAnswer[]; nextCursor: string | null }> {
    return this.itsm.list(parseListQuery(query));
  }

  @ApiOperation({ operationId: 'getItsmReference', summary: 'Read an ITSM reference' })
  @Answer(200, 'ItsmReference', 'The reference')
  @Roles('cso', 'backoffice', 'admin')
  @Get(':id')
  get(@Param('id') id: string): Promise<ItsmReferenceAnswer> {
    return this.itsm.get(id);
  }

  @ApiOperation({ operationId: 'addItsmReferenceNote', summary: 'Add a note to an ITSM reference' })
  @Answer(201, 'ItsmReference', 'The reference with the note')
  @Roles('cso')
  @Post(':id/notes')
  @IdempotentWork()
  addNote(@Param('id') id: string, @Body() dto: ItsmNoteDto, @CurrentCaller() caller: Caller, @Idempotency() idempotent?: IdempotentRequest): Promise<ItsmReferenceAnswer> {
    return this.itsm.addNote(id, caller.sub, dto.note, idempotent);
  }

  @ApiOperation({ operationId: 'reportItsmStatus', summary: 'ITSM reports the status of its ticket (R-A5)' })
  @Answer(200, 'ItsmReference', 'The reference with the status')
  @Roles('itsm')
  @Post(':id/status')
  @HttpCode(200)
  @IdempotentWork(200)
  reportStatus(@Param('id') id: string, @Body() dto: ItsmStatusDto, @Idempotency() idempotent?: IdempotentRequest): Promise<ItsmReferenceAnswer> {
    return this.itsm.reportStatus(id, dto.status, idempotent);
  }
}
