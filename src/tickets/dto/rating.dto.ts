import { IsInt, IsString, Max, MaxLength, Min, ValidateIf } from 'class-validator';
import { isPresent } from '../../common/validators';

/** R-L4: a score of 1–5 and an optional comment of up to 500 characters. */
export class RatingDto {
  @IsInt()
  @Min(1)
  @Max(5)
  score!: number;

  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(500)
  comment?: string;
}
