import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import { KIND_LABEL, STATUS_LABEL, TREATMENT_LABEL } from '../labels';
import { ErrorText, Field } from './field';

// R-R1…R-R8: what a re-report does depends on the earlier ticket; the answer names the treatment.
export function ReReportForm() {
  const [number, setNumber] = useState('');
  const [note, setNote] = useState('');
  const [disputes, setDisputes] = useState(false);
  const [unclear, setUnclear] = useState(false);
  const reReport = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/api/v1/tickets/{number}/re-reports', {
          params: { path: { number: number.trim() } },
          body: { note: note.trim() || undefined, customerDisputesUnitAnswer: disputes || undefined, unitAnswerUnclear: unclear || undefined },
        }),
      ),
  });
  const answer = reReport.data;

  return (
    <>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          reReport.mutate();
        }}
      >
        <Field label="Nomor laporan sebelumnya">
          {(p) => <input {...p} required pattern="[GK]\d{13}" value={number} onChange={(e) => setNumber(e.target.value)} autoComplete="off" />}
        </Field>
        <Field label="Catatan">{(p) => <textarea {...p} rows={2} value={note} onChange={(e) => setNote(e.target.value)} />}</Field>
        <label className="inline">
          <input type="checkbox" checked={disputes} onChange={(e) => setDisputes(e.target.checked)} />
          Pelanggan membantah jawaban unit
        </label>
        <label className="inline">
          <input type="checkbox" checked={unclear} onChange={(e) => setUnclear(e.target.checked)} />
          Jawaban unit tidak jelas
        </label>
        <ErrorText error={reReport.error} />
        <div className="actions">
          <button type="submit" disabled={reReport.isPending}>
            Kirim Lapor Ulang
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {answer && (
          <div className="answer" role="status">
            <p>
              Perlakuan: <strong>{TREATMENT_LABEL[answer.treatment]}</strong>
            </p>
            <p>Nomor laporan</p>
            <p className="number" data-testid="nomor-lapor-ulang">
              {answer.ticket.number}
            </p>
            <p>
              {KIND_LABEL[answer.ticket.kind]} · {STATUS_LABEL[answer.ticket.status]}
              {answer.ticket.number !== answer.previous.number && ` · sebelumnya ${answer.previous.number} (${STATUS_LABEL[answer.previous.status]})`}
            </p>
            {answer.escalations.length > 0 && <p>Eskalasi ke back office: {answer.escalations.map((e) => e.category).join(', ')}</p>}
          </div>
        )}
      </div>
    </>
  );
}
