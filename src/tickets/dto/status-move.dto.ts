import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsOffsetDateTime, isPresent } from '../../common/validators';
import { TicketStatus } from '../../generated/prisma/enums';

// What a unit may ask for (R-T4); LAPOR, DITUTUP and ISSUE_CLOSED are never a unit's move. The check
// still takes every status so that those answer 409 naming the rule rather than a bare 400.
const REQUESTABLE = ['PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA', 'DIPROSES', 'SELESAI', 'BATAL'] as const;

export class StatusMoveDto {
  @ApiProperty({ enum: REQUESTABLE, description: 'The status to move to; which follow depends on the kind (R-T4)' })
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
