import { Body, Controller, Get, Injectable, Module, Param, Put } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Answer } from '../http/openapi/answers';
import { IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { Roles } from '../auth/roles';
import { Clock } from '../clock/clock';
import { IsIanaTimeZone, isPresent } from '../common/validators';
import { PrismaService, Tx } from '../database/prisma.service';
import { UnitsRepository } from './units.repository';
import { invalidInput } from '../common/domain.exception';
import { UnitException, UnitErrorCode } from './unit.exception';

export interface UnitView {
  code: string;
  name: string;
  timeZone: string;
}

export class PutUnitDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(200)
  name!: string;

  @ValidateIf(isPresent)
  @IsIanaTimeZone()
  timeZone?: string;
}

const UNIT_CODE = /^\d{3}$/;
const view = (u: UnitView): UnitView => ({ code: u.code, name: u.name, timeZone: u.timeZone });

@Injectable()
export class UnitsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: UnitsRepository,
    private readonly clock: Clock,
  ) {}

  async list(): Promise<UnitView[]> {
    return (await this.repository.list(this.prisma)).map(view);
  }

  async get(code: string): Promise<UnitView> {
    const unit = await this.repository.find(this.prisma, code);
    if (!unit) throw new UnitException(UnitErrorCode.NOT_FOUND, `Unit ${code} not found`);
    return view(unit);
  }

  /** The unit when it exists, for callers that validate a unit code of a request. */
  find(code: string, tx: Tx = this.prisma): Promise<UnitView | null> {
    return this.repository.find(tx, code);
  }

  async put(code: string, dto: PutUnitDto): Promise<UnitView> {
    if (!UNIT_CODE.test(code)) throw invalidInput('code', 'a unit code is 3 digits');
    const now = this.clock.now();
    const unit = await this.repository.put(
      this.prisma,
      code,
      { name: dto.name, timeZone: dto.timeZone ?? 'Asia/Jakarta' },
      { name: dto.name, ...(dto.timeZone ? { timeZone: dto.timeZone } : {}) },
      now,
    );
    return view(unit);
  }
}

@ApiTags('units')
@ApiBearerAuth()
@Controller('api/v1/units')
export class UnitsController {
  constructor(private readonly units: UnitsService) {}

  @ApiOperation({ operationId: 'listUnits', summary: 'List the units' })
  @Answer(200, 'UnitList', 'Every unit')
  @Get()
  async list(): Promise<{ items: UnitView[] }> {
    return { items: await this.units.list() };
  }

  @ApiOperation({ operationId: 'getUnit', summary: 'Read a unit' })
  @Answer(200, 'Unit', 'The unit')
  @Get(':code')
  get(@Param('code') code: string): Promise<UnitView> {
    return this.units.get(code);
  }

  @ApiOperation({ operationId: 'putUnit', summary: 'Create or rename a unit' })
  @Answer(200, 'Unit', 'The unit as stored')
  @Roles('admin')
  @Put(':code')
  put(@Param('code') code: string, @Body() dto: PutUnitDto): Promise<UnitView> {
    return this.units.put(code, dto);
  }
}

@Module({ controllers: [UnitsController], providers: [UnitsService, UnitsRepository], exports: [UnitsService] })
export class UnitsModule {}
