import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import { IsNotBlank } from '../common/validators';
import type { ItsmStatus } from '../generated/prisma/enums';
import { ITSM_STATUSES } from './itsm.rules';

export class ItsmNoteDto {
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(4000)
  note!: string;
}

export class ItsmStatusDto {
  @IsIn(ITSM_STATUSES)
  status!: ItsmStatus;
}
