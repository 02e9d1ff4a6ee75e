import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsOffsetDateTime, isPresent } from '../common/validators';
import { WEBHOOK_EVENT_TYPES } from './outbound.rules';

const EVENT_TYPE_OR_ALL = [...WEBHOOK_EVENT_TYPES, '*'];
const UNIT_CODE = /^\d{2,5}$/; // a unit of any level: its subtree (R-W1, R-H3)

export class CreateWebhookDto {
  @WebhookUrl(true)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  url!: string;

  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPE_OR_ALL.length)
  @IsIn(EVENT_TYPE_OR_ALL, { each: true })
  eventTypes!: string[];

  @ValidateIf(isPresent)
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(UNIT_CODE, { each: true, message: 'unitCodes are unit codes such as 542' })
  unitCodes?: string[];
}

export class UpdateWebhookDto {
  @WebhookUrl(false)
  @ValidateIf(isPresent)
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  url?: string;

  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsString()
  @MaxLength(500)
  description?: string | null;

  @ValidateIf(isPresent)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(EVENT_TYPE_OR_ALL.length)
  @IsIn(EVENT_TYPE_OR_ALL, { each: true })
  eventTypes?: string[];

  @ValidateIf(isPresent)
  @IsArray()
  @ArrayMaxSize(1000)
  @Matches(UNIT_CODE, { each: true, message: 'unitCodes are unit codes such as 542' })
  unitCodes?: string[];

  @ValidateIf(isPresent)
  @IsBoolean()
  enabled?: boolean;
}

export class ReplayDto {
  @IsOffsetDateTime()
  since!: string;
}
