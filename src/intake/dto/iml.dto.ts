import { IsBoolean, IsNumber, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { IsCalendarDate, isPresent } from '../../common/validators';

/** A fault inside the customer's own installation (R-I2); API.md "Create" `iml`. */
export class ImlDto {
  @IsBoolean()
  willingToPay!: boolean;

  @ValidateIf(isPresent)
  @IsCalendarDate()
  preferredVisitDate?: string;

  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(200)
  regency?: string;

  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(200)
  district?: string;

  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(200)
  village?: string;

  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(500)
  landmark?: string;

  @ValidateIf(isPresent)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-90)
  @Max(90)
  latitude?: number;

  @ValidateIf(isPresent)
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(-180)
  @Max(180)
  longitude?: number;
}
