import { useCallback, useEffect, useRef, useState } from 'react';
import { followTicketChanges } from '../api/change-stream';
import { api, ApiError } from '../api/client';
import type { Ticket, TicketStatus } from '../api/types';

/**
 * The statuses a unit still acts on: open (R-T4) plus Nyala Sementara and Nyala, which still await
 * the unit's Selesai.
 */
export const ACTIVE: ReadonlySet<TicketStatus> = new Set(['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES', 'NYALA_SEMENTARA', 'NYALA']);
const PAGE = 200;

interface State {
  tickets: Map<string, Ticket>;
  changes: number; // tickets changed by the stream since the page opened
}

async function listActive(unitCode: string | undefined, signal: AbortSignal): Promise<Ticket[]> {
  const items: Ticket[] = [];
  let cursor: string | undefined;
  for (;;) {
    const { data, error, response } = await api.GET('/api/v1/tickets', {
      params: { query: { unitCode, status: [...ACTIVE], limit: PAGE, cursor } },
      signal,
    });
    if (!data) throw new ApiError(response.status, (error as never) ?? null);
    items.push(...data.items);
    if (!data.nextCursor) return items;
    cursor = data.nextCursor;
  }
}

/** Newer versions win, whichever of the load and the stream brought them first. */
function merge(tickets: Map<string, Ticket>, ticket: Ticket): boolean {
  const known = tickets.get(ticket.number);
  if (known && known.version >= ticket.version) return false;
  if (!known && !ACTIVE.has(ticket.status)) return false; // left the list before this page knew it
  if (ACTIVE.has(ticket.status)) tickets.set(ticket.number, ticket);
  else tickets.delete(ticket.number);
  return true;
}

/**
 * The unit's active tickets, kept current by the change stream (R-F3): the stream is opened first,
 * and once the service has fixed where it starts the active tickets are loaded in full; every change
 * after that arrives as a stream event and is merged by number and version, so nothing falls between
 * the load and the stream. No polling: a quiet unit costs one open connection.
 */
export function useActiveTickets(unitCode: string | undefined) {
  const [state, setState] = useState<State | null>(null);
  const [error, setError] = useState<unknown>(null);
  const live = useRef<State | null>(null); // null until the full load is in

  useEffect(() => {
    const abort = new AbortController();
    live.current = null;
    const early: Ticket[] = []; // stream events that arrived during the load
    const publish = () => live.current && setState({ tickets: new Map(live.current.tickets), changes: live.current.changes });
    const stop = followTicketChanges(unitCode, {
      onOpen: (needsLoad) => {
        setError(null);
        if (!needsLoad) return;
        // (again, after a reconnection that had no position): events buffer until the load is in
        const before = live.current?.changes ?? 0;
        live.current = null;
        listActive(unitCode, abort.signal)
          .then((items) => {
            const loaded: State = { tickets: new Map(items.map((t) => [t.number, t])), changes: before };
            for (const ticket of early.splice(0)) if (merge(loaded.tickets, ticket)) loaded.changes += 1;
            live.current = loaded;
            setError(null);
            publish();
          })
          .catch((e: unknown) => abort.signal.aborted || setError(e));
      },
      onTicket: (ticket) => {
        if (!live.current) return void early.push(ticket);
        if (!merge(live.current.tickets, ticket)) return;
        live.current.changes += 1;
        setError(null);
        publish();
      },
      onError: (e) => setError(e),
    });
    return () => {
      abort.abort();
      stop();
    };
  }, [unitCode]);

  /** A ticket this page changed itself: shown at once (its stream event then merges as already seen). */
  const put = useCallback((ticket: Ticket) => {
    const current = live.current;
    if (!current || !merge(current.tickets, ticket)) return;
    setState({ tickets: new Map(current.tickets), changes: current.changes });
  }, []);

  return { data: state, error, isPending: state === null && error === null, put };
}
