import { StringDecoder } from 'node:string_decoder';
// Pure rules of R-W1, R-W4 and R-W6; each takes plain data (and `now` or a random draw), never I/O.

/** R-W1: the event types an endpoint may subscribe to (or `["*"]`). */
export const WEBHOOK_EVENT_TYPES = [
  'ticket.created',
  'ticket.status_changed',
  'ticket.re_reported',
  'ticket.sla_breached',
  'ticket.closed',
  'escalation.created',
  'escalation.done',
  'outage.created',
  'outage.status_changed',
  'outage.etr_changed',
] as const;

export const MESSAGE_STATUSES = ['PENDING', 'DELIVERED', 'FAILED', 'KEPT'] as const;
export type MessageStatus = (typeof MESSAGE_STATUSES)[number];

/** R-W4: the waits after the 1st…7th failed attempt (Svix's schedule); the 8th failure is final. */
export const RETRY_DELAYS_MS = [5_000, 5 * 60_000, 30 * 60_000, 2 * 3600_000, 5 * 3600_000, 10 * 3600_000, 10 * 3600_000] as const;
/** R-W4: ±10 % jitter so that retries of a burst do not arrive together. */
export const RETRY_JITTER = 0.1;
/** R-W4: an endpoint failing every delivery this long is disabled. */
export const DISABLE_AFTER_MS = 5 * 24 * 3600_000;
/** R-W4: one delivery attempt's time limit. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** R-W5: how much of an answer the attempt log keeps. */
export const ANSWER_BYTES = 1024;

/**
 * R-W5: the first 1 KiB of a receiver's answer as the attempt log keeps it: cut before a character the
 * cut would split, and a NUL (which a PostgreSQL text cannot hold: one such answer failed the batch of
 * attempts it was written with, and every message of that batch was sent again, stop 54's audit) shown
 * as U+FFFD like any byte that is no UTF-8.
 */
export function answerText(bytes: Buffer): string {
  return new StringDecoder('utf8').write(bytes.subarray(0, ANSWER_BYTES)).replace(/\u0000/g, '\uFFFD');
}

/**
 * R-W4: after `failures` failed attempts (1 = the first), when to try again, or null when the message
 * has failed for good. `random` is a draw in [0, 1).
 */
export function nextAttemptAt(now: Date, failures: number, random: number): Date | null {
  const base = RETRY_DELAYS_MS[failures - 1];
  if (base === undefined) return null;
  const jitter = 1 + RETRY_JITTER * (2 * random - 1);
  return new Date(now.getTime() + Math.round(base * jitter));
}

/** R-W4: whether an endpoint that has failed since `failingSince` is to be disabled now. */
export const shouldDisable = (failingSince: Date | null, now: Date): boolean =>
  failingSince !== null && now.getTime() - failingSince.getTime() >= DISABLE_AFTER_MS;

/** R-W4: only a 2xx answer is a delivery; a 3xx (redirects are never followed) is a failure. */
export const isDelivered = (statusCode: number): boolean => statusCode >= 200 && statusCode < 300;

/** R-W4 for mail: an SMTP 5xx is permanent (no retry), a 4xx or a broken connection is retried. */
export const isPermanentMailFailure = (responseCode: number | undefined): boolean => responseCode !== undefined && responseCode >= 500;
