import { ApiProperty } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsIn, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { TICKET_NUMBER } from '../common/list-query';
import { IsNotBlank, IsOffsetDateTime, isPresent } from '../common/validators';
import type { TicketStatus } from '../generated/prisma/enums';
import { MoveOutcomeDto } from '../tickets/dto/status-move.dto';
import { OUTAGE_STATUSES } from './outage.rules';

export class CreateOutageDto {
  @IsString()
  @Matches(/^\d{3}$/, { message: 'unitCode must be 3 digits' })
  unitCode!: string;

  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(200)
  title!: string;

  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(2000)
  cause!: string;

  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(2000)
  area!: string;

  /** The estimated restoration time; null while unknown. */
  @ValidateIf((_, v) => v !== null)
  @IsOffsetDateTime()
  etr!: string | null;
}

export class UpdateOutageDto {
  @ValidateIf((_, v) => v !== undefined && v !== null)
  @IsOffsetDateTime()
  etr?: string | null;

  @ValidateIf(isPresent)
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(200)
  title?: string;

  @ValidateIf(isPresent)
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(2000)
  cause?: string;

  @ValidateIf(isPresent)
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(2000)
  area?: string;
}

export class OutageStatusDto extends MoveOutcomeDto {
  @ApiProperty({ enum: OUTAGE_STATUSES, description: 'The status to move the outage and the tickets following it to (R-O1, R-O3)' })
  @IsIn(OUTAGE_STATUSES)
  status!: TicketStatus;
}

export class AttachTicketsDto {
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(1000)
  @IsString({ each: true })
  @Matches(TICKET_NUMBER, { each: true, message: 'numbers must be ticket numbers such as G5422026000123' })
  numbers!: string[];
}
