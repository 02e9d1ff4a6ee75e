import { TicketKind } from '../../generated/prisma/enums';

// R-T2: kind letter + 3-digit unit + 4-digit year (of reportedAt in the unit's time zone) + 6-digit
// sequence, e.g. G5422022000691. The number is built in SQL with the sequence (tickets.repository.ts).
export const SEQUENCE_MAX = 999_999;

export const kindLetter = (kind: TicketKind) => (kind === 'GANGGUAN' ? 'G' : 'K');
