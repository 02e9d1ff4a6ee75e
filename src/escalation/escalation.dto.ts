import { ArrayMaxSize, ArrayNotEmpty, IsArray, IsIn, IsNotEmpty, IsString, Matches, MaxLength, ValidateIf } from 'class-validator';
import { TICKET_NUMBER } from '../common/list-query';
import { IsNotBlank, IsOffsetDateTime, isPresent } from '../common/validators';
import type { EscalationCategory } from '../generated/prisma/enums';
import { ESCALATION_CATEGORIES } from './escalation.rules';

const NOTE_MAX = 4000;
const presentAndNotNull = (_: object, value: unknown) => value !== undefined && value !== null;

export class CreateEscalationDto {
  @IsIn(ESCALATION_CATEGORIES)
  category!: EscalationCategory;

  @ValidateIf(presentAndNotNull)
  @IsString()
  @Matches(TICKET_NUMBER, { message: 'ticketNumber is a ticket number such as G5422026000123' })
  ticketNumber?: string | null;

  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(NOTE_MAX)
  note!: string;

  @ValidateIf(presentAndNotNull)
  @IsOffsetDateTime()
  callbackAt?: string | null;
}

export class ClaimNextDto {
  @ValidateIf(isPresent)
  @IsArray()
  @ArrayNotEmpty()
  @ArrayMaxSize(ESCALATION_CATEGORIES.length)
  @IsIn(ESCALATION_CATEGORIES, { each: true })
  categories?: EscalationCategory[];
}

export class FinishEscalationDto {
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(NOTE_MAX)
  note!: string;
}
