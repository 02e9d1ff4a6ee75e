import { IsIn, ValidateIf } from 'class-validator';
import { IsCalendarDate, IsOffsetDateTime, isPresent } from '../common/validators';
import type { ListriquOrderStatus } from '../generated/prisma/enums';
import { ORDER_STATUSES } from './listriqu.rules';

export class PutCoverageDto {
  @IsCalendarDate()
  startDate!: string;
}

export class OrderStatusDto {
  @IsIn(ORDER_STATUSES)
  status!: ListriquOrderStatus;

  @ValidateIf(isPresent)
  @IsOffsetDateTime()
  occurredAt?: string;
}
