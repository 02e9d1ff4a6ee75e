import { IsBoolean, IsEmail, IsIn, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsNotBlank, isPresent } from '../../common/validators';

/** A PLN Mobile problem (R-A1…R-A4); API.md "Create" `appProblem`. The ITSM fields are checked for their
 * format here; whether they are needed (a new reference) is decided by the ITSM module. */
export class AppProblemDto {
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(200)
  category!: string;

  @ValidateIf(isPresent)
  @IsBoolean()
  forwardToItsm?: boolean;

  @ValidateIf(isPresent)
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(64)
  itsmTicketId?: string;

  @ValidateIf(isPresent)
  @IsIn(['INCIDENT', 'SERVICE_REQUEST'])
  callType?: 'INCIDENT' | 'SERVICE_REQUEST';

  @ValidateIf(isPresent)
  @IsEmail()
  email?: string;
}
