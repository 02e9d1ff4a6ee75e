import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import type { CustomerHistory } from '../api/types';
import { formatTime, KIND_LABEL, STATUS_LABEL } from '../labels';
import { ErrorText, Field } from './field';

type Key = 'phone' | 'idPel' | 'meterNumber' | 'number' | 'name';
const KEYS: { key: Key; label: string }[] = [
  { key: 'phone', label: 'Telepon' },
  { key: 'idPel', label: 'ID Pel' },
  { key: 'meterNumber', label: 'Nomor meter' },
  { key: 'number', label: 'Nomor laporan' },
  { key: 'name', label: 'Nama (≥ 3 huruf)' },
];

/**
 * R-L1: the caller's history by one key. A phone may be written any way (+62…, 08…, spaces, dashes):
 * the service compares its digits, so the agent types it as the caller says it.
 */
export function CustomerSearch({ onReReport }: { onReReport: (number: string) => void }) {
  const [key, setKey] = useState<Key>('phone');
  const [value, setValue] = useState('');
  const search = useMutation({
    mutationFn: async (): Promise<CustomerHistory> =>
      must(await api.GET('/api/v1/customers/history', { params: { query: { [key]: value.trim() } } })),
  });
  const history = search.data;

  return (
    <>
      <form
        className="filters"
        aria-label="Cari pelanggan"
        onSubmit={(e) => {
          e.preventDefault();
          search.mutate();
        }}
      >
        <Field label="Cari menurut">
          {(p) => (
            <select {...p} value={key} onChange={(e) => setKey(KEYS.find((k) => k.key === e.target.value)?.key ?? 'phone')}>
              {KEYS.map((k) => (
                <option key={k.key} value={k.key}>
                  {k.label}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field label="Kata kunci">{(p) => <input {...p} required type="search" value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" />}</Field>
        <div className="actions">
          <button type="submit" disabled={search.isPending}>
            Cari
          </button>
        </div>
      </form>
      <ErrorText error={search.error} />
      <div aria-live="polite">
        {history && (
          <div className="history" role="status" aria-label="Riwayat pelanggan">
            {history.customers.length === 0 && history.tickets.length === 0 ? (
              <p>Tidak ada pelanggan atau laporan yang cocok.</p>
            ) : (
              <>
                <p>
                  {history.customers.length} pelanggan · {history.tickets.length} laporan · {history.orders.length} order ListriQu · {history.itsmReferences.length} referensi ITSM ·{' '}
                  {history.escalations.length} eskalasi
                </p>
                <ul className="plain">
                  {history.customers.map((c, i) => (
                    <li key={i}>
                      <strong>{c.name ?? '(tanpa nama)'}</strong> · {c.phone ?? '—'} · ID Pel {c.idPel ?? '—'} · meter {c.meterNumber ?? '—'}
                    </li>
                  ))}
                </ul>
                <table className="table">
                  <caption>Riwayat laporan (terbaru dulu)</caption>
                  <thead>
                    <tr>
                      <th scope="col">Nomor</th>
                      <th scope="col">Jenis · status</th>
                      <th scope="col">Dilaporkan</th>
                      <th scope="col">Jawaban unit</th>
                      <th scope="col">
                        <span className="skip">Aksi</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {history.tickets.map((t) => (
                      <tr key={t.number}>
                        <td>{t.number}</td>
                        <td>
                          {KIND_LABEL[t.kind]} · {STATUS_LABEL[t.status]}
                        </td>
                        <td>{formatTime(t.reportedAt)}</td>
                        <td>{t.unitAnswer ?? '—'}</td>
                        <td>
                          <button type="button" className="secondary" onClick={() => onReReport(t.number)}>
                            Lapor Ulang {t.number}
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
        )}
      </div>
    </>
  );
}
