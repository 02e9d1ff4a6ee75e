import { Type } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsNotEmpty,
  IsObject,
  IsString,
  IsUUID,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateIf,
  ValidateNested,
} from 'class-validator';
import { TICKET_NUMBER } from '../../common/list-query';
import { ApiProperty } from '@nestjs/swagger';
import { PROVINCES, provinceKey } from '../../common/provinces';
import { IsCalendarDate, isGiven, IsNotBlank, IsOffsetDateTime, isPresent } from '../../common/validators';
import { AppProblemDto } from './app-problem.dto';
import { ImlDto } from './iml.dto';

const CLASSIFICATION = /^[A-Z0-9_]{1,64}$/;

function IsProvince() {
  return (object: object, propertyName: string) => {
    // documented as the keys; the server also accepts them in any case with surrounding spaces
    ApiProperty({ enum: PROVINCES, description: 'A province key of API.md (matched ignoring case and surrounding spaces)' })(object, propertyName);
    registerDecorator({
      name: 'isProvince',
      target: object.constructor,
      propertyName,
      options: { message: `${propertyName} must be one of the 38 province keys of API.md, e.g. JAWA BARAT` },
      validator: { validate: (value: unknown) => typeof value === 'string' && provinceKey(value) !== null },
    });
  };
}

export class CustomerDto {
  @ValidateIf(isPresent)
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(200)
  name?: string;

  @ValidateIf(isPresent)
  @IsString()
  @Matches(/^\+?\d{8,15}$/, { message: 'phone must be 8–15 digits with an optional leading +' })
  phone?: string;

  @ValidateIf(isGiven) // documented nullable: null is "not known", like absent
  @IsString()
  @Matches(/^\d{12}$/, { message: 'idPel must be 12 digits' })
  idPel?: string | null;

  @ValidateIf(isGiven)
  @IsString()
  @Matches(/^\d{11}$/, { message: 'meterNumber must be 11 digits' })
  meterNumber?: string | null;

  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(500)
  address?: string;

  @ValidateIf(isPresent)
  @IsProvince()
  province?: string;
}

export class KomporInduksiDto {
  @IsBoolean()
  installationPowered!: boolean;

  @ValidateIf(isPresent)
  @IsIn(['PRABAYAR', 'PASCABAYAR'])
  paymentType?: 'PRABAYAR' | 'PASCABAYAR';

  @ValidateIf(isPresent)
  @IsIn(['ON', 'OFF'])
  mcbPln?: 'ON' | 'OFF';

  @ValidateIf(isPresent)
  @IsCalendarDate()
  preferredVisitDate?: string;
}

export class CreateTicketDto {
  @IsIn(['GANGGUAN', 'KELUHAN'])
  kind!: 'GANGGUAN' | 'KELUHAN';

  @IsString()
  @Matches(/^\d{3}$/, { message: 'unitCode must be 3 digits' })
  unitCode!: string;

  @IsIn(['CC123', 'PLN_MOBILE', 'OTHER'])
  channel!: 'CC123' | 'PLN_MOBILE' | 'OTHER';

  @IsObject()
  @ValidateNested()
  @Type(() => CustomerDto)
  customer!: CustomerDto;

  @IsString()
  @Matches(CLASSIFICATION, { message: 'problemType must be UPPER_SNAKE ([A-Z0-9_]{1,64})' })
  problemType!: string;

  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString()
  @Matches(CLASSIFICATION, { message: 'subType must be UPPER_SNAKE ([A-Z0-9_]{1,64})' })
  subType?: string | null;

  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(4000)
  description!: string;

  @ValidateIf(isPresent)
  @IsBoolean()
  urgent?: boolean;

  @ValidateIf(isPresent)
  @IsOffsetDateTime()
  reportedAt?: string;

  @ValidateIf(isPresent)
  @IsBoolean()
  issueClosed?: boolean;

  @ValidateIf(isPresent)
  @IsIn(['AUTODISPATCH', 'IML_LISTRIQU', 'IML_NON_LISTRIQU'])
  woType?: 'AUTODISPATCH' | 'IML_LISTRIQU' | 'IML_NON_LISTRIQU';

  @ValidateIf(isPresent)
  @IsString()
  @Matches(TICKET_NUMBER, { message: 'referenceNumber must be a ticket number such as G5422026000123' })
  referenceNumber?: string;

  /** The remarks field (API.md "Create"). */
  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(2000)
  keterangan?: string;

  /** R-O2: the open outage of the same unit this Gangguan joins at creation. */
  @ValidateIf(isPresent)
  @IsUUID()
  outageId?: string;

  @ValidateIf(isPresent)
  @IsObject()
  @ValidateNested()
  @Type(() => KomporInduksiDto)
  komporInduksi?: KomporInduksiDto;

  @ValidateIf(isPresent)
  @IsOffsetDateTime()
  callbackAt?: string;

  @ValidateIf(isPresent)
  @IsObject()
  @ValidateNested()
  @Type(() => ImlDto)
  iml?: ImlDto;

  @ValidateIf(isPresent)
  @IsObject()
  @ValidateNested()
  @Type(() => AppProblemDto)
  appProblem?: AppProblemDto;
}
