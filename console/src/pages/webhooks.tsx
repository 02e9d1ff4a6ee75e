import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import type { components } from '../api/schema';
import { ErrorText, Field } from '../components/field';
import { disabledReasonLabel, formatTime, labelOf, MESSAGE_STATUS_LABEL, OUTBOUND_TYPE_LABEL } from '../labels';
import type { Session } from '../session';

type Webhook = components['schemas']['Webhook'];
type OutboundMessage = components['schemas']['OutboundMessage'];
type EventType = components['schemas']['CreateWebhookDto']['eventTypes'][number];

const EVENT_TYPES: EventType[] = [
  'ticket.created', 'ticket.status_changed', 'ticket.re_reported', 'ticket.sla_breached', 'ticket.closed',
  'escalation.created', 'escalation.done', 'outage.created', 'outage.status_changed', 'outage.etr_changed',
];
const CHOICES: EventType[] = ['*', ...EVENT_TYPES];

/** R-W1, R-W3, R-W5: the admin's webhook endpoints, their messages with attempts, resend and replay. */
export function WebhooksPage() {
  const [selected, setSelected] = useState<string | null>(null);
  const [secret, setSecret] = useState<{ id: string; secret: string } | null>(null);
  const hooks = useQuery({ queryKey: ['webhooks'], queryFn: async () => must(await api.GET('/api/v1/webhooks')).items });
  return (
    <div className="webhooks">
      <h1>Webhook</h1>
      {secret && (
        <div className="notice" role="status">
          <p>
            Rahasia endpoint (hanya ditampilkan sekali, simpan sekarang): <code>{secret.secret}</code>
          </p>
          <button type="button" className="secondary" onClick={() => setSecret(null)}>
            Sudah saya simpan
          </button>
        </div>
      )}
      <div className="split">
        <section aria-labelledby="daftar-webhook">
          <h2 id="daftar-webhook">Endpoint</h2>
          <ErrorText error={hooks.error} />
          {hooks.data?.length === 0 && <p>Belum ada endpoint.</p>}
          <ul className="plain">
            {hooks.data?.map((w) => (
              <li key={w.id}>
                <button type="button" className={w.id === selected ? '' : 'secondary'} aria-pressed={w.id === selected} onClick={() => setSelected(w.id)}>
                  {w.description ? `${w.description} · ` : ''}
                  {w.url} · {w.enabled ? 'aktif' : `nonaktif${w.disabledReason ? ` (${disabledReasonLabel(w.disabledReason)})` : ''}`}
                </button>
              </li>
            ))}
          </ul>
          <CreateForm onCreated={(id, s) => { setSelected(id); setSecret({ id, secret: s }); }} />
        </section>
        <section aria-labelledby="rincian-webhook">
          <h2 id="rincian-webhook">Rincian</h2>
          {selected && hooks.data?.find((w) => w.id === selected) ? (
            <WebhookDetail key={selected} webhook={hooks.data.find((w) => w.id === selected)!} onSecret={(s) => setSecret({ id: selected, secret: s })} />
          ) : (
            <p className="help">Pilih atau daftarkan endpoint.</p>
          )}
        </section>
      </div>
    </div>
  );
}

function CreateForm({ onCreated }: { onCreated: (id: string, secret: string) => void }) {
  const client = useQueryClient();
  const [url, setUrl] = useState('');
  const [description, setDescription] = useState('');
  const [types, setTypes] = useState<EventType[]>(['*']);
  const [units, setUnits] = useState('');
  const create = useMutation({
    mutationFn: async () => {
      const unitCodes = units.split(',').map((u) => u.trim()).filter(Boolean);
      return must(await api.POST('/api/v1/webhooks', { body: { url: url.trim(), description: description.trim() || undefined, eventTypes: types, ...(unitCodes.length ? { unitCodes } : {}) } }));
    },
    onSuccess: (w) => {
      void client.invalidateQueries({ queryKey: ['webhooks'] });
      setUrl('');
      onCreated(w.id, (w as { secret?: string }).secret ?? '');
    },
  });
  const toggle = (t: EventType) => setTypes((current) => (t === '*' ? ['*'] : [...current.filter((x) => x !== '*' && x !== t), ...(current.includes(t) ? [] : [t])]));
  return (
    <form onSubmit={(e) => { e.preventDefault(); create.mutate(); }} aria-labelledby="daftar-baru">
      <h3 id="daftar-baru">Daftarkan endpoint</h3>
      <Field label="URL (https)">{(p) => <input {...p} type="url" required value={url} onChange={(e) => setUrl(e.target.value)} />}</Field>
      <Field label="Keterangan">{(p) => <input {...p} value={description} onChange={(e) => setDescription(e.target.value)} />}</Field>
      <fieldset>
        <legend>Jenis peristiwa</legend>
        {CHOICES.map((t) => (
          <label key={t} className="check">
            <input type="checkbox" checked={types.includes(t)} onChange={() => toggle(t)} /> {labelOf(OUTBOUND_TYPE_LABEL, t)}
            {t !== '*' && <code> {t}</code>}
          </label>
        ))}
      </fieldset>
      <Field label="Kode unit (opsional, pisahkan dengan koma)">{(p) => <input {...p} value={units} onChange={(e) => setUnits(e.target.value)} />}</Field>
      <ErrorText error={create.error} />
      <button type="submit" disabled={create.isPending || !types.length}>
        Daftarkan
      </button>
    </form>
  );
}

function WebhookDetail({ webhook, onSecret }: { webhook: Webhook; onSecret: (secret: string) => void }) {
  const client = useQueryClient();
  const [since, setSince] = useState('');
  const messages = useQuery({
    queryKey: ['webhook-messages', webhook.id],
    queryFn: async () => must(await api.GET('/api/v1/webhooks/{id}/messages', { params: { path: { id: webhook.id }, query: { limit: 50 } } })).items,
    refetchInterval: 5000,
  });
  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['webhooks'] });
    void client.invalidateQueries({ queryKey: ['webhook-messages', webhook.id] });
  };
  const rotate = useMutation({
    mutationFn: async () => must(await api.POST('/api/v1/webhooks/{id}/rotate-secret', { params: { path: { id: webhook.id } } })),
    onSuccess: (w) => onSecret((w as { secret?: string }).secret ?? ''),
  });
  const enable = useMutation({
    mutationFn: async (enabled: boolean) => must(await api.PATCH('/api/v1/webhooks/{id}', { params: { path: { id: webhook.id } }, body: { enabled } })),
    onSuccess: refresh,
  });
  const replay = useMutation({
    mutationFn: async () => must(await api.POST('/api/v1/webhooks/{id}/replay', { params: { path: { id: webhook.id } }, body: { since: new Date(since).toISOString() } })),
    onSuccess: refresh,
  });
  return (
    <div>
      <p>
        <strong>{webhook.url}</strong>
        {webhook.description ? ` — ${webhook.description}` : ''}
      </p>
      <p>
        Peristiwa: {webhook.eventTypes.map((t) => labelOf(OUTBOUND_TYPE_LABEL, t)).join(', ')}
        {webhook.unitCodes.length ? ` · unit ${webhook.unitCodes.join(', ')} dan unit di bawahnya` : ' · semua unit'}
      </p>
      <p>
        Status: {webhook.enabled ? 'aktif' : `nonaktif${webhook.disabledReason ? ` — ${disabledReasonLabel(webhook.disabledReason)}` : ''}`}
      </p>
      <div className="actions">
        <button type="button" className="secondary" onClick={() => rotate.mutate()} disabled={rotate.isPending}>
          Ganti rahasia
        </button>
        <button type="button" className="secondary" onClick={() => enable.mutate(!webhook.enabled)} disabled={enable.isPending}>
          {webhook.enabled ? 'Nonaktifkan' : 'Aktifkan'}
        </button>
      </div>
      <form onSubmit={(e) => { e.preventDefault(); replay.mutate(); }}>
        <Field label="Kirim ulang semua pesan sejak">{(p) => <input {...p} type="datetime-local" required value={since} onChange={(e) => setSince(e.target.value)} />}</Field>
        <button type="submit" disabled={replay.isPending}>
          Kirim ulang
        </button>
        {replay.data && <p role="status">{replay.data.queued} pesan diantrekan.</p>}
      </form>
      <ErrorText error={rotate.error ?? enable.error ?? replay.error ?? messages.error} />
      <h3>Pesan</h3>
      <MessageTable items={messages.data ?? []} webhookId={webhook.id} onResent={refresh} />
    </div>
  );
}

export function MessageTable({ items, webhookId, onResent }: { items: OutboundMessage[]; webhookId?: string; onResent?: () => void }) {
  const resend = useMutation({
    mutationFn: async (messageId: string) => must(await api.POST('/api/v1/webhooks/{id}/messages/{messageId}/resend', { params: { path: { id: webhookId!, messageId } } })),
    onSuccess: onResent,
  });
  if (!items.length) return <p>Belum ada pesan.</p>;
  return (
    <table>
      <thead>
        <tr>
          <th scope="col">Dibuat</th>
          <th scope="col">Jenis</th>
          <th scope="col">Status</th>
          <th scope="col">Percobaan</th>
          {webhookId && <th scope="col">Aksi</th>}
        </tr>
      </thead>
      <tbody>
        {items.map((m) => (
          <tr key={m.id}>
            <td>{formatTime(m.createdAt)}</td>
            <td>
              {labelOf(OUTBOUND_TYPE_LABEL, m.type)} <code>{m.type}</code>
              {m.subject ? ` · ${m.subject}` : ''}
            </td>
            <td>
              {labelOf(MESSAGE_STATUS_LABEL, m.status)}
              {m.status === 'PENDING' && m.nextAttemptAt ? ` · coba lagi ${formatTime(m.nextAttemptAt)}` : ''}
            </td>
            <td>
              <ul className="plain">
                {m.attempts.map((a, i) => (
                  <li key={i}>
                    {formatTime(a.at)} · {a.statusCode ?? '—'} · {a.durationMs} ms{a.error ? ` · ${a.error}` : ''}
                  </li>
                ))}
              </ul>
            </td>
            {webhookId && (
              <td>
                <button type="button" className="secondary" onClick={() => resend.mutate(m.id)} disabled={resend.isPending}>
                  Kirim lagi
                </button>
              </td>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** R-W7: the over-SLA mails of the unit (admin: every unit), sent or kept. */
export function NotificationsPage({ session }: { session: Session }) {
  const unitCode = session.unit ?? undefined;
  const mails = useQuery({
    queryKey: ['notifications', unitCode ?? '*'],
    queryFn: async () => must(await api.GET('/api/v1/notifications', { params: { query: { ...(unitCode ? { unitCode } : {}), limit: 50 } } })).items,
  });
  return (
    <div className="notifications">
      <h1>Notifikasi Over SLA {unitCode ? `· unit ${unitCode}` : ''}</h1>
      <ErrorText error={mails.error} />
      <MessageTable items={mails.data ?? []} />
    </div>
  );
}
