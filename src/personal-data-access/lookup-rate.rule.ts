// R-P5: customer lookups per person: at most the limit within any 60 seconds (a sliding minute, counted in
// PostgreSQL by lookup_rate_take).

/** The answer's Retry-After for a wait of `waitMs`: whole seconds, at least 1. */
export const retryAfterSeconds = (waitMs: number): number => Math.max(1, Math.ceil(waitMs / 1000));

/** Only people are limited: the integration roles (PLN Mobile's backend acting for its own customer, ListriQu, ITSM) are systems. */
export const LIMITED_ROLES: ReadonlySet<string> = new Set(['cso', 'backoffice', 'admin', 'unit']);

/** Query parameters that make a list a lookup of one customer (R-L1 filters). */
export const CUSTOMER_QUERY = ['idPel', 'meterNumber', 'phone', 'name', 'number'] as const;

/** Whether the request's query names a customer, so that it counts as a lookup. */
export const namesCustomer = (query: Record<string, unknown> | undefined): boolean => CUSTOMER_QUERY.some((k) => query?.[k] !== undefined);
