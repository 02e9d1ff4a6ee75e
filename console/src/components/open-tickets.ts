import { useQuery } from '@tanstack/react-query';
import { useRef } from 'react';
import { api, ApiError } from '../api/client';
import type { Ticket, TicketStatus } from '../api/types';

/**
 * The statuses a unit still acts on: open (R-T4) plus Nyala Sementara and Nyala, which still await
 * the unit's Selesai.
 */
export const ACTIVE: ReadonlySet<TicketStatus> = new Set(['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES', 'NYALA_SEMENTARA', 'NYALA']);
const PAGE = 200;
// Changes commit out of updatedAt order (a longer transaction stamped earlier commits later): asking
// again from a little before the newest stamp seen catches them; merging by number makes the overlap harmless.
const OVERLAP_MS = 30_000;
export const POLL_MS = 2_000;

interface State {
  tickets: Map<string, Ticket>;
  since: string | null; // newest updatedAt seen
  etag: string | null; // of the last incremental answer
  changes: number; // tickets changed by polls since the page opened
}

async function listAll(unitCode: string | undefined, query: Record<string, string | number | boolean>, etag: string | null) {
  const items: Ticket[] = [];
  let cursor: string | undefined;
  for (;;) {
    const { data, error, response } = await api.GET('/api/v1/tickets', {
      params: { query: { unitCode, limit: PAGE, cursor, ...query } },
      headers: etag && !cursor ? { 'if-none-match': etag } : {},
    });
    if (response.status === 304) return null;
    if (!data) throw new ApiError(response.status, (error as never) ?? null);
    items.push(...data.items);
    const tag = !cursor ? response.headers.get('etag') : null;
    if (tag) etag = tag;
    if (!data.nextCursor) return { items, etag };
    cursor = data.nextCursor;
  }
}

/**
 * The unit's active tickets, kept current by polling: one full load, then every POLL_MS the tickets
 * changed since the newest seen, asked with If-None-Match so that a quiet unit costs a 304.
 */
export function useActiveTickets(unitCode: string | undefined) {
  const state = useRef<State | null>(null);
  const query = useQuery({
    queryKey: ['active-tickets', unitCode ?? '*'],
    refetchInterval: POLL_MS,
    queryFn: async () => {
      const current = state.current;
      if (!current) {
        const first = await listAll(unitCode, { status: [...ACTIVE].join(',') }, null);
        const tickets = new Map(first?.items.map((t) => [t.number, t]));
        state.current = { tickets, since: newest(first?.items ?? [], null), etag: null, changes: 0 };
      } else {
        const since = current.since ? new Date(Date.parse(current.since) - OVERLAP_MS).toISOString() : new Date(0).toISOString();
        const answer = await listAll(unitCode, { updatedSince: since }, current.etag);
        if (answer) {
          let changed = 0;
          for (const ticket of answer.items) {
            const known = current.tickets.get(ticket.number);
            // seen already (the overlap asks again), or a ticket that left the list before this page knew it
            if (known ? known.version === ticket.version : !ACTIVE.has(ticket.status)) continue;
            changed += 1;
            if (ACTIVE.has(ticket.status)) current.tickets.set(ticket.number, ticket);
            else current.tickets.delete(ticket.number);
          }
          state.current = { tickets: changed ? new Map(current.tickets) : current.tickets, since: newest(answer.items, current.since), etag: answer.etag, changes: current.changes + changed };
        }
      }
      return state.current as State;
    },
  });
  /** A ticket this page changed itself: shown at once, without waiting for the next poll. */
  const put = (ticket: Ticket) => {
    const current = state.current;
    if (!current) return;
    const tickets = new Map(current.tickets);
    if (ACTIVE.has(ticket.status)) tickets.set(ticket.number, ticket);
    else tickets.delete(ticket.number);
    state.current = { ...current, tickets };
    void query.refetch();
  };
  return { ...query, put };
}

function newest(items: Ticket[], since: string | null): string | null {
  let best = since;
  for (const t of items) if (!best || t.updatedAt > best) best = t.updatedAt;
  return best;
}
