import { IsIn, IsNotEmpty, IsString, MaxLength } from 'class-validator';
import type { ItsmStatus } from '../generated/prisma/enums';
import { ITSM_STATUSES } from './itsm.rules';

export class ItsmNoteDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  note!: string;
}

export class ItsmStatusDto {
  @IsIn(ITSM_STATUSES)
  status!: ItsmStatus;
}
