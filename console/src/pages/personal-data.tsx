import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, ApiError, must } from '../api/client';
import type { Erasure } from '../api/types';
import { ErrorText, Field } from '../components/field';
import { formatDateTime } from '../format';

type Kind = 'idPel' | 'phone';
const KIND_LABEL: Record<Kind, string> = { idPel: 'ID Pel', phone: 'Telepon' };
const when = (iso: string) => formatDateTime(iso);

/** Data Pribadi (admin, R-P1…R-P3): find a customer's data, download it, see who saw it, erase it. */
export function PersonalDataPage() {
  const [kind, setKind] = useState<Kind>('idPel');
  const [value, setValue] = useState('');
  const [asked, setAsked] = useState<{ kind: Kind; value: string } | null>(null);
  const query = asked ? { [asked.kind]: asked.value } : {};
  const found = useQuery({
    queryKey: ['personal-data', asked],
    enabled: asked !== null,
    queryFn: async () => must(await api.GET('/api/v1/personal-data', { params: { query } })),
  });
  const log = useQuery({
    queryKey: ['personal-data-log', asked],
    enabled: asked !== null && found.isSuccess,
    queryFn: async () => must(await api.GET('/api/v1/personal-data/access-log', { params: { query: { ...query, limit: 100 } } })).items,
  });

  const download = () => {
    if (!found.data || !asked) return;
    const link = document.createElement('a');
    link.href = URL.createObjectURL(new Blob([JSON.stringify(found.data, null, 2)], { type: 'application/json' }));
    link.download = `data-pribadi-${asked.kind}-${asked.value.replace(/\D/g, '')}.json`;
    link.click();
    URL.revokeObjectURL(link.href);
  };

  const data = found.data;
  return (
    <div className="personal-data">
      <h1>Data Pribadi Pelanggan</h1>
      <p className="help">Permintaan pelanggan atas datanya (UU PDP No. 27/2022): lihat, unduh, siapa yang melihat, dan hapus.</p>
      <form
        className="filters"
        aria-label="Cari pelanggan"
        onSubmit={(e) => {
          e.preventDefault();
          setAsked({ kind, value: value.trim() });
        }}
      >
        <Field label="Cari dengan">
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
              <option value="idPel">ID Pel</option>
              <option value="phone">Telepon</option>
            </select>
          )}
        </Field>
        <Field label={KIND_LABEL[kind]} hint={kind === 'idPel' ? '12 angka' : 'bentuk apa saja: 0812…, +62 812…'}>
          {(p) => <input {...p} required value={value} onChange={(e) => setValue(e.target.value)} />}
        </Field>
        <div className="actions">
          <button type="submit">Cari</button>
        </div>
      </form>
      <ErrorText error={found.error} />
      {data && asked && (
        <>
          <section aria-labelledby="data-subjek">
            <h2 id="data-subjek">Data yang disimpan</h2>
            <dl className="subject" data-testid="data-subjek">
              <dt>Nama</dt>
              <dd>{data.subject.names.join(', ') || '—'}</dd>
              <dt>Telepon</dt>
              <dd>{data.subject.phones.join(', ') || '—'}</dd>
              <dt>ID Pel</dt>
              <dd>{data.subject.idPels.join(', ') || '—'}</dd>
              <dt>Nomor meter</dt>
              <dd>{data.subject.meterNumbers.join(', ') || '—'}</dd>
              <dt>Alamat</dt>
              <dd>{data.subject.addresses.join(', ') || '—'}</dd>
              <dt>E-mail</dt>
              <dd>{data.subject.emails.join(', ') || '—'}</dd>
            </dl>
            <p>
              {data.tickets.length} laporan, {data.orders.length} order ListriQu, {data.itsmReferences.length} referensi ITSM, {data.escalations.length} eskalasi.
            </p>
            <button type="button" onClick={download}>
              Unduh JSON
            </button>
            {data.tickets.length > 0 && (
              <table className="table">
                <caption>Laporan pelanggan</caption>
                <thead>
                  <tr>
                    <th scope="col">Nomor</th>
                    <th scope="col">Status</th>
                    <th scope="col">Dilaporkan</th>
                  </tr>
                </thead>
                <tbody>
                  {data.tickets.map((t) => (
                    <tr key={t.number}>
                      <td>{t.number}</td>
                      <td>{t.status}</td>
                      <td>{when(t.reportedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <section aria-labelledby="riwayat-akses">
            <h2 id="riwayat-akses">Riwayat akses</h2>
            <ErrorText error={log.error} />
            {log.data && log.data.length === 0 && <p>Belum ada yang melihat data ini.</p>}
            {log.data && log.data.length > 0 && (
              <table className="table" data-testid="riwayat-akses">
                <caption>Siapa melihat data pelanggan ini (terbaru dahulu)</caption>
                <thead>
                  <tr>
                    <th scope="col">Waktu</th>
                    <th scope="col">Pengguna</th>
                    <th scope="col">Peran</th>
                    <th scope="col">Layanan</th>
                    <th scope="col">Laporan</th>
                  </tr>
                </thead>
                <tbody>
                  {log.data.map((a) => (
                    <tr key={`${a.requestId}-${a.at}-${a.endpoint}`}>
                      <td>{when(a.at)}</td>
                      <td>{a.sub}</td>
                      <td>{a.role}</td>
                      <td>{a.endpoint}</td>
                      <td>{a.ticketNumbers.join(', ')}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <EraseForm asked={asked} />
        </>
      )}
    </div>
  );
}

/** R-P3: the 409 naming the customer's tickets still in handling, said in the console's language. */
function stillOpen(error: unknown): string | null {
  if (!(error instanceof ApiError) || error.status !== 409) return null;
  const numbers = error.problem?.errors?.filter((e) => e.field === 'tickets').map((e) => e.message) ?? [];
  return `Belum dapat dihapus: laporan ${numbers.join(', ') || 'pelanggan ini'} masih diproses. Hapus setelah laporan selesai (ditutup, batal atau issue closed).`;
}

function EraseForm({ asked }: { asked: { kind: Kind; value: string } }) {
  const queryClient = useQueryClient();
  const [reason, setReason] = useState('');
  const [sure, setSure] = useState(false);
  const [done, setDone] = useState<Erasure | null>(null);
  const erase = useMutation({
    mutationFn: async () => must(await api.POST('/api/v1/personal-data/erasures', { body: { [asked.kind]: asked.value, reason: reason.trim() } })),
    onSuccess: (erasure) => {
      setDone(erasure);
      setSure(false);
      void queryClient.invalidateQueries({ queryKey: ['personal-data'] });
    },
  });
  return (
    <section aria-labelledby="hapus-data">
      <h2 id="hapus-data">Hapus data pribadi</h2>
      <form
        aria-label="Hapus data pribadi"
        onSubmit={(e) => {
          e.preventDefault();
          erase.mutate();
        }}
      >
        <Field label="Alasan" hint="Nomor surat atau permintaan pelanggan; jangan tulis data pribadi di sini">
          {(p) => <textarea {...p} required maxLength={500} value={reason} onChange={(e) => setReason(e.target.value)} />}
        </Field>
        <div className="field checkbox">
          <input id="hapus-yakin" type="checkbox" checked={sure} onChange={(e) => setSure(e.target.checked)} />
          <label htmlFor="hapus-yakin">
            Saya yakin: nama, telepon, ID Pel, nomor meter, alamat dan e-mail pelanggan ini dihapus dari semua laporan dan catatan, dan tidak dapat dikembalikan.
          </label>
        </div>
        <div className="actions">
          <button type="submit" className="danger" disabled={!sure || !reason.trim() || erase.isPending}>
            Hapus data pribadi
          </button>
        </div>
      </form>
      <ErrorText error={stillOpen(erase.error) ?? erase.error} />
      {done && (
        <p role="status" data-testid="hasil-hapus">
          Dihapus {when(done.erasedAt)} oleh {done.by}: {done.records} catatan diubah (bukti {done.id}).
        </p>
      )}
    </section>
  );
}
