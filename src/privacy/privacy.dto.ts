import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';
import { IsNotBlank } from '../common/validators';
import { SEARCHABLE_PHONE } from '../common/phone';
import { ExactlyOneOf } from '../http/openapi/validator-constraints';

/** R-P3: exactly one of idPel and phone (checked by parseCustomer; `x-exactly-one-of` in the document), and why. */
@ExactlyOneOf('idPel', 'phone')
export class ErasureDto {
  @IsOptional()
  @IsString()
  @Matches(/^\d{12}$/, { message: 'idPel is 12 digits' })
  idPel?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  @Matches(SEARCHABLE_PHONE, { message: 'phone is 8–15 digits, optionally with +, spaces, dashes, dots or brackets' })
  phone?: string;

  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(500)
  reason!: string;
}
