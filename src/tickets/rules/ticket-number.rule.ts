import { TicketKind } from '../../generated/prisma/enums';

// R-T2: kind letter + 3-digit unit + 4-digit year + 6-digit sequence, e.g. G5422022000691.
export const SEQUENCE_MAX = 999_999;

export const kindLetter = (kind: TicketKind) => (kind === 'GANGGUAN' ? 'G' : 'K');

/** The year of `at` in the unit's time zone (a report at 23:30 WIB on 31 Dec is next year's in UTC+8 but this year's here). */
export function yearIn(at: Date, timeZone: string): number {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric' }).format(at));
}

export function formatTicketNumber(kind: TicketKind, unitCode: string, year: number, sequence: number): string {
  if (!Number.isInteger(sequence) || sequence < 1 || sequence > SEQUENCE_MAX) throw new RangeError(`sequence ${sequence} is out of range`);
  return `${kindLetter(kind)}${unitCode}${year}${String(sequence).padStart(6, '0')}`;
}
