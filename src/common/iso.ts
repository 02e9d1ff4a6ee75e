/** A stored time as API.md writes it (ISO 8601, UTC, milliseconds), or null. */
export function iso(time: Date): string;
export function iso(time: Date | null): string | null;
export function iso(time: Date | null): string | null {
  return time ? time.toISOString() : null;
}
