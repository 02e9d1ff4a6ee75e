import { Body, Controller, Get, Injectable, Module, Param, Put, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ArrayMaxSize, IsArray, IsEmail, IsIn, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { CurrentCaller } from '../auth/caller.decorator';
import { type Caller, holds, Roles } from '../auth/roles';
import { Clock } from '../clock/clock';
import { invalidInput } from '../common/domain.exception';
import { IsIanaTimeZone, IsNotBlank, isPresent } from '../common/validators';
import { PrismaService, Tx } from '../database/prisma.service';
import { Answer, ProblemAnswer } from '../http/openapi/answers';
import { QueryParams } from '../http/query-params';
import { UnitException, UnitErrorCode } from './unit.exception';
import { UnitScopes } from './unit-scopes';
import { ANY_UNIT_CODE, placementRefusal, type PlacementRefusal, UNIT_LEVELS, type UnitLevel } from './unit-tree.rules';
import { UnitsRepository } from './units.repository';
import { type UnitAnswer, unitView } from './unit.view';

export class PutUnitDto {
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(200)
  name!: string;

  @ValidateIf(isPresent)
  @IsIanaTimeZone()
  timeZone?: string;

  /** Default ULP for a new unit; omitted keeps an existing unit's level. */
  @ValidateIf(isPresent)
  @IsIn(UNIT_LEVELS)
  level?: UnitLevel;

  /** The unit one level up; null takes the unit out of the tree; omitted keeps an existing unit's parent. */
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString()
  @Matches(ANY_UNIT_CODE, { message: 'parentCode is a unit code of 2–5 digits' })
  parentCode?: string | null;

  /** R-W7: the over-SLA mail's addresses; omitted keeps them, [] removes them. */
  @ValidateIf(isPresent)
  @IsArray()
  @ArrayMaxSize(20)
  @IsEmail({}, { each: true })
  notifyEmails?: string[];
}

export interface UnitFilter {
  parentCode?: string;
  level?: string;
}


/** R-H1, R-H4: a refusal of a placement as the exception of its answer (400 naming the field, or 409). */
function refused(refusal: PlacementRefusal): Error {
  switch (refusal.kind) {
    case 'CODE':
      return invalidInput('code', refusal.detail);
    case 'UNKNOWN_PARENT':
      return invalidInput('parentCode', refusal.detail);
    case 'CYCLE':
      return new UnitException(UnitErrorCode.CYCLE, refusal.detail);
    case 'LEVEL':
      return new UnitException(UnitErrorCode.WRONG_LEVEL, refusal.detail);
    case 'LEVEL_IN_USE':
      return new UnitException(UnitErrorCode.LEVEL_IN_USE, refusal.detail);
  }
}

@Injectable()
export class UnitsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: UnitsRepository,
    private readonly clock: Clock,
    private readonly scopes: UnitScopes,
  ) {}

  async list(caller: Caller | null, filter: UnitFilter = {}): Promise<UnitAnswer[]> {
    if (filter.parentCode !== undefined && !ANY_UNIT_CODE.test(filter.parentCode)) throw invalidInput('parentCode', 'parentCode is a unit code of 2–5 digits');
    if (filter.level !== undefined && !(UNIT_LEVELS as readonly string[]).includes(filter.level)) throw invalidInput('level', 'level is UID, UP3 or ULP');
    const where = { ...(filter.parentCode !== undefined ? { parentCode: filter.parentCode } : {}), ...(filter.level !== undefined ? { level: filter.level as UnitLevel } : {}) };
    return (await this.repository.list(this.prisma, where)).map((u) => unitView(u, holds(caller, 'admin')));
  }

  async get(code: string, caller: Caller | null = null): Promise<UnitAnswer> {
    const unit = await this.repository.find(this.prisma, code);
    if (!unit) throw new UnitException(UnitErrorCode.NOT_FOUND, `Unit ${code} not found`);
    return unitView(unit, holds(caller, 'admin'));
  }

  /** The unit when it exists, for callers that validate a unit code of a request. */
  async find(code: string, tx: Tx = this.prisma): Promise<UnitAnswer | null> {
    const unit = await this.repository.find(tx, code);
    return unit && unitView(unit, false);
  }

  /** R-H1, R-H4: creates or changes a unit, placing or moving it in the tree; scopes follow at once. */
  async put(code: string, dto: PutUnitDto): Promise<UnitAnswer> {
    if (!ANY_UNIT_CODE.test(code)) throw invalidInput('code', 'a unit code is 2–5 digits (a ULP: 3)');
    const now = this.clock.now();
    const unit = await this.prisma.$transaction(async (tx) => {
      await this.repository.lockTree(tx);
      const current = await this.repository.find(tx, code);
      const level = dto.level ?? current?.level ?? 'ULP';
      const parentCode = dto.parentCode !== undefined ? dto.parentCode : (current?.parentCode ?? null);
      const tree = await this.repository.treeIn(tx);
      const refusal = placementRefusal(new Map(tree.map((u) => [u.code, u])), { code, name: dto.name, level, parentCode }, current ? await this.repository.use(tx, code) : null);
      if (refusal) throw refused(refusal);
      return this.repository.put(
        tx,
        code,
        {
          name: dto.name,
          timeZone: dto.timeZone ?? current?.timeZone ?? 'Asia/Jakarta',
          level,
          parentCode,
          notifyEmails: dto.notifyEmails ?? current?.notifyEmails ?? [],
        },
        now,
      );
    });
    this.scopes.invalidate(); // committed: this replica reads the new tree before it answers
    await this.scopes.current();
    return unitView(unit, true);
  }
}

@ApiTags('units')
@ApiBearerAuth()
@Controller('api/v1/units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @ApiOperation({ operationId: 'listUnits', summary: 'List the units, optionally those beneath one unit or of one level (R-H1)' })
  @Answer(200, 'UnitList', 'The units')
  @QueryParams('parentCode', 'level')
  @Get()
  async list(@CurrentCaller() caller: Caller, @Query() query: UnitFilter): Promise<{ items: UnitAnswer[] }> {
    return { items: await this.units.list(caller, query) };
  }

  @ApiOperation({ operationId: 'getUnit', summary: 'Read a unit' })
  @Answer(200, 'Unit', 'The unit')
  @Get(':code')
  get(@Param('code') code: string, @CurrentCaller() caller: Caller): Promise<UnitAnswer> {
    return this.units.get(code, caller);
  }

  @ApiOperation({ operationId: 'putUnit', summary: 'Create or change a unit: its name, time zone, level, place in the tree and over-SLA addresses (R-H1, R-H4, R-W7)' })
  @Answer(200, 'Unit', 'The unit as stored')
  @ProblemAnswer(409, 'The placement would make a cycle, skip a level, or change the level of a unit with units or tickets beneath it')
  @Roles('admin')
  @Put(':code')
  put(@Param('code') code: string, @Body() dto: PutUnitDto): Promise<UnitAnswer> {
    return this.units.put(code, dto);
  }
}

@Module({ controllers: [UnitsController], providers: [UnitsService, UnitsRepository, UnitScopes], exports: [UnitsService, UnitScopes] })
export class UnitsModule {}
