import { IsNotEmpty, IsOptional, IsString, Matches, MaxLength } from 'class-validator';

/** R-P3: exactly one of idPel and phone (checked by parseCustomer), and why. */
export class ErasureDto {
  @IsOptional()
  @IsString()
  @Matches(/^\d{12}$/, { message: 'idPel is 12 digits' })
  idPel?: string;

  @IsOptional()
  @IsString()
  @MaxLength(32)
  phone?: string;

  @IsString()
  @IsNotEmpty()
  @MaxLength(500)
  reason!: string;
}
