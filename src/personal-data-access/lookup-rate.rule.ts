// R-P5: customer lookups per person per minute, counted in fixed one-minute windows (UTC minutes).
const MINUTE = 60_000;

/** The window `now` falls in. */
export const windowOf = (now: Date): Date => new Date(Math.floor(now.getTime() / MINUTE) * MINUTE);

/** Whole seconds until the window ends (at least 1): the answer's Retry-After. */
export const retryAfterSeconds = (now: Date): number => Math.max(1, Math.ceil((windowOf(now).getTime() + MINUTE - now.getTime()) / 1000));

/** The lookup-th lookup of the window is allowed while it is within the limit. */
export const allowed = (count: number, limitPerMinute: number): boolean => count <= limitPerMinute;

/** Only people are limited: the integration roles (PLN Mobile's backend acting for its own customer, ListriQu, ITSM) are systems. */
export const LIMITED_ROLES: ReadonlySet<string> = new Set(['cso', 'backoffice', 'admin', 'unit']);

/** Query parameters that make a list a lookup of one customer (R-L1 filters). */
export const CUSTOMER_QUERY = ['idPel', 'meterNumber', 'phone', 'name', 'number'] as const;

/** Whether the request's query names a customer, so that it counts as a lookup. */
export const namesCustomer = (query: Record<string, unknown> | undefined): boolean => CUSTOMER_QUERY.some((k) => query?.[k] !== undefined);
