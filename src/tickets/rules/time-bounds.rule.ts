// API.md: client-supplied times may be up to 7 days in the past and never more than 2 minutes in the
// future; an occurredAt is never before the ticket's latest event.
export const MAX_PAST_MS = 7 * 24 * 60 * 60 * 1000;
export const MAX_FUTURE_MS = 2 * 60 * 1000;

export function clientTimeError(at: Date, now: Date, notBefore?: Date): string | null {
  if (at.getTime() < now.getTime() - MAX_PAST_MS) return 'may be at most 7 days in the past';
  if (at.getTime() > now.getTime() + MAX_FUTURE_MS) return 'may be at most 2 minutes in the future';
  if (notBefore && at.getTime() < notBefore.getTime()) return `may not be before the ticket's latest event (${notBefore.toISOString()})`;
  return null;
}

/**
 * When an event on an existing ticket happened, for an event the service records on its own (a re-report
 * counted on the previous ticket, an IML correction): at `preferred` (the report's time) when that is
 * not before the ticket's latest event (a Lapor Ulang's new ticket is escalated at the time it was
 * reported, the time of its own CREATED event), else now, but never before that latest event (which a
 * client may have dated up to 2 minutes ahead).
 */
export function eventTimeAfter(latest: Date, preferred: Date, now: Date): Date {
  if (preferred >= latest) return preferred;
  return now > latest ? now : latest;
}

// Issue 14 point 11: times the customer asks for are checked against the present, so a typo (a
// callback 3 years ago, a visit in 2099) is a 400 naming the field. Chosen bounds: a callbackAt from 7
// days back (a callback recorded late, as reportedAt may be) to 90 days ahead; a visit date from today
// to 90 days ahead, "today" taken loosely (the UTC day before to the UTC day after) because the
// customer's time zone can be a day off UTC.
const DAY_MS = 24 * 60 * 60 * 1000;
export const CALLBACK_MAX_PAST_MS = 7 * DAY_MS;
export const AHEAD_MAX_DAYS = 90;

export function callbackAtError(at: Date, now: Date): string | null {
  if (at.getTime() < now.getTime() - CALLBACK_MAX_PAST_MS) return 'may be at most 7 days in the past';
  if (at.getTime() > now.getTime() + AHEAD_MAX_DAYS * DAY_MS) return `may be at most ${AHEAD_MAX_DAYS} days ahead`;
  return null;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/** `date` is a calendar date `YYYY-MM-DD` (validated already). */
export function visitDateError(date: string, now: Date): string | null {
  if (date < utcDay(now.getTime() - DAY_MS)) return 'may not be in the past';
  if (date > utcDay(now.getTime() + (AHEAD_MAX_DAYS + 1) * DAY_MS)) return `may be at most ${AHEAD_MAX_DAYS} days ahead`;
  return null;
}
