import { IsIn, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsOffsetDateTime, isPresent } from '../../common/validators';
import { TicketStatus } from '../../generated/prisma/enums';

export class StatusMoveDto {
  @IsIn(Object.values(TicketStatus))
  status!: TicketStatus;

  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(4000)
  note?: string;

  /** Required for SELESAI (R-T5). */
  @ValidateIf((o: StatusMoveDto, v) => v !== undefined || o.status === 'SELESAI')
  @IsString()
  @IsNotEmpty()
  @MaxLength(4000)
  unitAnswer?: string;

  /** Required for BATAL (R-T4). */
  @ValidateIf((o: StatusMoveDto, v) => v !== undefined || o.status === 'BATAL')
  @IsString()
  @IsNotEmpty()
  @MaxLength(1000)
  reason?: string;

  @ValidateIf(isPresent)
  @IsOffsetDateTime()
  occurredAt?: string;
}
