import { Body, Controller, Get, Post, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, Roles } from '../auth/roles';
import { Idempotency, IdempotentWork, type IdempotentRequest } from '../http/idempotency';
import { Answer, ProblemAnswer } from '../http/openapi/answers';
import { QueryParams } from '../http/query-params';
import { ErasureDto } from './privacy.dto';
import { parseAccessLogQuery, parseCustomer } from './privacy.query';
import { type ErasureAnswer, type PersonalDataExport, PrivacyService } from './privacy.service';

@ApiTags('personal-data')
@ApiBearerAuth()
@Controller('api/v1/personal-data')
export class PrivacyController {
  constructor(private readonly privacy: PrivacyService) {}

  @ApiOperation({ operationId: 'getPersonalData', summary: 'Everything held about one customer, by ID Pel or phone (R-P2)' })
  @Answer(200, 'PersonalDataExport', 'The customer’s data')
  @Roles('admin')
  @Get()
  @QueryParams('idPel', 'phone')
  @ApiExtension('x-exactly-one-of', ['idPel', 'phone']) // exactly one of these query parameters (else 400)
  export(@Query() query: Record<string, unknown>): Promise<PersonalDataExport> {
    return this.privacy.export(parseCustomer(query));
  }

  @ApiOperation({ operationId: 'createPersonalDataErasure', summary: 'Erase one customer’s personal data everywhere, with a reason (R-P3)' })
  @Answer(201, 'Erasure', 'The erasure as recorded')
  @ProblemAnswer(409, 'The customer has tickets still in handling; `errors` lists them (field `tickets`)')
  @Roles('admin')
  @Post('erasures')
  @IdempotentWork()
  erase(@Body() dto: ErasureDto, @CurrentCaller() caller: Caller, @Idempotency() idempotent?: IdempotentRequest): Promise<ErasureAnswer> {
    return this.privacy.erase(parseCustomer(dto), dto.reason, caller, idempotent);
  }

  @ApiOperation({ operationId: 'getPersonalDataAccessLog', summary: 'Who saw a customer’s data (by ID Pel or phone), or what a person saw (by sub) (R-P1)' })
  @Answer(200, 'AccessLogPage', 'Accesses, newest first')
  @Roles('admin')
  @Get('access-log')
  @QueryParams(
    'idPel',
    'phone',
    { name: 'sub', description: 'The person (token `sub`) whose accesses to list', schema: { type: 'string', minLength: 1, maxLength: 255 } },
    { name: 'from', description: 'Accesses at or after this time (ISO 8601 with an offset; a time that does not exist → 400)', schema: { type: 'string', format: 'date-time' } },
    { name: 'to', description: 'Accesses before this time (ISO 8601 with an offset; a time that does not exist → 400)', schema: { type: 'string', format: 'date-time' } },
    'limit',
    'cursor',
  )
  @ApiExtension('x-exactly-one-of', ['idPel', 'phone', 'sub']) // exactly one of these query parameters (else 400)
  accessLog(@Query() query: Record<string, unknown>): Promise<{ items: object[]; nextCursor: string | null }> {
    return this.privacy.accessLogOf(parseAccessLogQuery(query));
  }
}
