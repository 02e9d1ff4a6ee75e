import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsNotEmpty, IsString, MaxLength, ValidateIf } from 'class-validator';
import { IsNotBlank, IsOffsetDateTime, isPresent } from '../../common/validators';
import { TicketStatus } from '../../generated/prisma/enums';

// What a unit may ask for (R-T4); LAPOR, DITUTUP and ISSUE_CLOSED are never a unit's move. The check
// still takes every status so that those answer 409 naming the rule rather than a bare 400.
const REQUESTABLE = ['PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA', 'DIPROSES', 'SELESAI', 'BATAL'] as const;

/**
 * What a status move may carry besides its status, for a ticket (R-T4, R-T5) and for an outage, which
 * passes it on to each of its tickets (R-O1, R-O3): the same fields under the same rules.
 */
export abstract class MoveOutcomeDto {
  abstract status: TicketStatus;

  /** Required for SELESAI (R-T5); an outage's is given to each of its tickets (R-O3). */
  @ValidateIf((o: MoveOutcomeDto, v) => v !== undefined || o.status === 'SELESAI')
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(4000)
  unitAnswer?: string;

  /** Required for BATAL (R-T4, R-O1). */
  @ValidateIf((o: MoveOutcomeDto, v) => v !== undefined || o.status === 'BATAL')
  @IsString()
  @IsNotEmpty()
  @IsNotBlank()
  @MaxLength(1000)
  reason?: string;

  @ValidateIf(isPresent)
  @IsOffsetDateTime()
  occurredAt?: string;
}

export class StatusMoveDto extends MoveOutcomeDto {
  @ApiProperty({ enum: REQUESTABLE, description: 'The status to move to; which follow depends on the kind (R-T4)' })
  @IsIn(Object.values(TicketStatus))
  status!: TicketStatus;

  @ValidateIf(isPresent)
  @IsString()
  @MaxLength(4000)
  note?: string;
}
