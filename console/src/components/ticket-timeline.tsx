import { useQuery } from '@tanstack/react-query';
import { api, must } from '../api/client';
import type { components } from '../api/schema';
import { formatDateTime } from '../format';
import { EVENT_LABEL, ROLE_LABEL, STATUS_LABEL } from '../labels';
import { ErrorText } from './field';

export type TicketEvent = components['schemas']['Event'];

/** R-O4: why the ticket left its outage, from the history (the latest leaving), else null. */
export const leftOutage = (events: TicketEvent[]) => [...events].reverse().find((e) => e.type === 'DETACHED_FROM_OUTAGE') ?? null;

/**
 * A ticket's history (R-T6, `GET /tickets/{number}/events`), oldest first: what happened, who (name and
 * role), when (in the unit's zone) and the note. `version` refetches it when the ticket changes.
 */
export function TicketTimeline({ number, version, timeZone }: { number: string; version?: number; timeZone?: string }) {
  const events = useQuery({
    queryKey: ['ticket-events', number, version ?? 0],
    queryFn: async () => must(await api.GET('/api/v1/tickets/{number}/events', { params: { path: { number } } })).items,
    placeholderData: (previous) => previous,
  });
  const left = events.data ? leftOutage(events.data) : null;
  return (
    <section className="timeline" aria-label={`Riwayat ${number}`}>
      <h3>Riwayat tiket</h3>
      {left && (
        <p className="notice" data-testid="keluar-padam">
          Tiket ini keluar dari padam meluas — {left.note ?? 'tanpa keterangan'}
        </p>
      )}
      <ErrorText error={events.error} />
      {events.isPending && <p className="help">Memuat riwayat…</p>}
      <ol>
        {events.data?.map((e) => (
          <li key={e.id} data-event={e.type}>
            <span className="what">
              {EVENT_LABEL[e.type]}
              {e.toStatus && e.fromStatus !== e.toStatus && (
                <>
                  {' '}
                  {e.fromStatus ? `${STATUS_LABEL[e.fromStatus]} → ` : ''}
                  <strong>{STATUS_LABEL[e.toStatus]}</strong>
                </>
              )}
            </span>
            <span className="who">
              {e.actor.role === 'system' ? ROLE_LABEL.system : `${e.actor.name ?? e.actor.sub} · ${ROLE_LABEL[e.actor.role]}`}
            </span>
            <time dateTime={e.occurredAt}>{formatDateTime(e.occurredAt, timeZone)}</time>
            {e.note && <span className="note">{e.note}</span>}
          </li>
        ))}
      </ol>
    </section>
  );
}
