import { IsIn, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsCalendarDate, IsNotBlank, isPresent } from '../../common/validators';

/** R-I3: the customer corrects (EDIT) or cancels (CANCEL) a report forwarded to ListriQu. */
export class ImlCorrectionDto {
  @IsIn(['EDIT', 'CANCEL'])
  action!: 'EDIT' | 'CANCEL';

  /** What was corrected ("TANGGAL KUNJUNGAN"), or why the customer cancels. */
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(1000)
  note!: string;

  /** The new visit date; only for EDIT. */
  @ValidateIf(isPresent)
  @IsCalendarDate()
  preferredVisitDate?: string;
}
