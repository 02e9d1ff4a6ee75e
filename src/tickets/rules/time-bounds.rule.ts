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
 * after the ticket's latest event, else now, but never before that latest event (which a client may
 * have dated up to 2 minutes ahead).
 */
export function eventTimeAfter(latest: Date, preferred: Date, now: Date): Date {
  if (preferred > latest) return preferred;
  return now > latest ? now : latest;
}
