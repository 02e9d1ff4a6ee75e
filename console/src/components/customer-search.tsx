import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import type { Province } from '../api/contract';
import type { CustomerHistory, CustomerSummary, Ticket } from '../api/types';
import { formatTime, KIND_LABEL, labelOf, PROBLEM_TYPE_LABEL, STATUS_LABEL } from '../labels';
import type { CustomerPrefill } from './create-ticket-form';
import { ErrorText, Field } from './field';
import { useZoneOf } from './unit-picker';

/** A phone's digits in one form (0812…), as the service compares them (R-L1). */
const phoneKey = (phone: string | null | undefined) => {
  const digits = (phone ?? '').replace(/\D/g, '');
  return digits.startsWith('62') ? `0${digits.slice(2)}` : digits.startsWith('8') ? `0${digits}` : digits;
};

/** The customer's own tickets of a history (newest first): same ID Pel, meter number or phone. */
export function ticketsOf(customer: CustomerSummary, tickets: Ticket[]): Ticket[] {
  return tickets.filter(
    (t) =>
      (customer.idPel !== null && t.customer.idPel === customer.idPel) ||
      (customer.meterNumber !== null && t.customer.meterNumber === customer.meterNumber) ||
      (customer.phone !== null && phoneKey(t.customer.phone) === phoneKey(customer.phone)),
  );
}

/** What the create form takes from a found customer: the summary, and address, province and unit of their newest ticket. */
function prefillOf(customer: CustomerSummary, tickets: Ticket[]): CustomerPrefill {
  const newest = tickets[0];
  return {
    name: customer.name ?? '',
    phone: customer.phone ?? '',
    idPel: customer.idPel ?? '',
    meterNumber: customer.meterNumber ?? '',
    address: newest?.customer.address ?? '',
    province: (newest?.customer.province ?? '') as Province | '',
    unitCode: newest?.unitCode ?? '',
  };
}

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
export function CustomerSearch({
  onReReport,
  onEscalate,
  onCustomer,
}: {
  onReReport: (number: string) => void;
  onEscalate: (number: string) => void;
  /** a customer chosen (the only one found is chosen at once): the form's values and their tickets */
  onCustomer: (prefill: CustomerPrefill, tickets: Ticket[]) => void;
}) {
  const zoneOf = useZoneOf();
  const [key, setKey] = useState<Key>('phone');
  const [value, setValue] = useState('');
  const [chosen, setChosen] = useState<number | null>(null);
  const choose = (history: CustomerHistory, index: number) => {
    const customer = history.customers[index];
    const tickets = ticketsOf(customer, history.tickets);
    setChosen(index);
    onCustomer(prefillOf(customer, tickets), tickets);
  };
  const search = useMutation({
    mutationFn: async (): Promise<CustomerHistory> =>
      must(await api.GET('/api/v1/customers/history', { params: { query: { [key]: value.trim() } } })),
    onSuccess: (history) => {
      setChosen(null);
      if (history.customers.length === 1) choose(history, 0);
    },
  });
  const history = search.data;

  return (
    <>
      <form
        id="form-cari"
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
                <ul className="plain customers">
                  {history.customers.map((c, i) => (
                    <li key={i}>
                      <strong>{c.name ?? '(tanpa nama)'}</strong> · {c.phone ?? '—'} · ID Pel {c.idPel ?? '—'} · meter {c.meterNumber ?? '—'}{' '}
                      {chosen === i ? (
                        <span className="ok">· dipakai di formulir</span>
                      ) : (
                        <button type="button" className="secondary" onClick={() => choose(history, i)}>
                          Pakai data {c.name ?? 'pelanggan ini'}
                        </button>
                      )}
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
                          {KIND_LABEL[t.kind]} · {labelOf(PROBLEM_TYPE_LABEL, t.problemType)} · {STATUS_LABEL[t.status]}
                        </td>
                        <td>{formatTime(t.reportedAt, zoneOf(t.unitCode))}</td>
                        <td>{t.unitAnswer ?? '—'}</td>
                        <td>
                          <span className="row-actions">
                            <button type="button" className="secondary" onClick={() => onReReport(t.number)}>
                              Lapor Ulang {t.number}
                            </button>
                            <button type="button" className="secondary" onClick={() => onEscalate(t.number)}>
                              Eskalasi {t.number}
                            </button>
                          </span>
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
