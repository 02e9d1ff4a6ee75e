import { IsBoolean, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsNotBlank, IsOffsetDateTime, isPresent } from '../../common/validators';

export class ReReportDto {
  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(4000)
  note?: string;

  @ValidateIf(isPresent)
  @IsOffsetDateTime()
  reportedAt?: string;

  @ValidateIf(isPresent)
  @IsBoolean()
  customerDisputesUnitAnswer?: boolean;

  @ValidateIf(isPresent)
  @IsBoolean()
  unitAnswerUnclear?: boolean;
}

export class UpdateNoteDto {
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(4000)
  note!: string;

  @ValidateIf(isPresent)
  @IsBoolean()
  requestCallback?: boolean;
}

export class ConfirmationDto {
  @IsBoolean()
  resolved!: boolean;

  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(4000)
  note?: string;
}
