/** A stored time as API.md writes it (ISO 8601, UTC, milliseconds), or null. */
export const iso = (time: Date | null): string | null => (time ? time.toISOString() : null);
