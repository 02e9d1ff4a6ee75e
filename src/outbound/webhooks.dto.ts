import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsBoolean, IsIn, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { IsOffsetDateTime, isPresent } from '../common/validators';
import { WEBHOOK_EVENT_TYPES } from './outbound.rules';

const EVENT_TYPE_OR_ALL = [...WEBHOOK_EVENT_TYPES, '*'];
const UNIT_CODE = /^\d{2,5}$/; // a unit of any level: its subtree (R-W1, R-H3)

// R-W6 in the document as far as a schema can say it (an absolute URL, http or https); the rest is in
// the description: the service resolves the host when the URL is registered or changed.
const WebhookUrl = (required: boolean) =>
  ApiProperty({
    type: String,
    required,
    format: 'uri',
    pattern: '^[Hh][Tt][Tt][Pp][Ss]?://',
    description:
      'An absolute URL (R-W6): https (http only for a host of WEBHOOK_ALLOWED_HOSTS), without credentials, whose host is not and does not resolve to a loopback, private, link-local or other internal address unless it is one of WEBHOOK_ALLOWED_HOSTS; else 400 naming `url`.',
  });

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
