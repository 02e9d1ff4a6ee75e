import { Prisma } from '../../generated/prisma/client';
import { TICKET_COLUMNS } from './ticket-columns.sql';

/**
 * The ticket a change outside a transaction checks its rules against (issue 30: a status move, a
 * re-report), read without a lock: the change that follows is guarded by the version read here
 * (change-ticket.sql.ts, ChangeGuard). With the unit's time zone, which R-R2's note prints the deadline
 * in, so a re-report needs no second read. Its one row: { ticket } as row_to_json wrote it, time_zone.
 */
export const READ_FOR_CHANGE = Prisma.sql`SELECT row_to_json(x) AS ticket, (SELECT time_zone FROM units WHERE code = x."unitCode") AS time_zone
  FROM (SELECT ${TICKET_COLUMNS} FROM tickets WHERE number = $1) x`.text;
