import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { api, must } from '../api/client';
import type { ReReportPreview } from '../api/types';
import { CATEGORY_LABEL, KIND_LABEL, STATUS_LABEL, TREATMENT_LABEL } from '../labels';
import { TICKET_NUMBER_PATTERN } from '../format';
import { ErrorText, Field } from './field';
import { RepeatAnswer } from './returning-caller';

const flag = (on: boolean) => (on ? 'true' : undefined);

/**
 * R-R1…R-R8: what a re-report does depends on the earlier ticket. The agent first sees the preview
 * (R-L2: treatment, the ticket as it would be, the escalations and their texts; nothing stored), then
 * confirms; changing any field drops the preview, so what is confirmed is what was previewed: the
 * preview takes the same fields as the re-report (the note included) and the re-report is sent with
 * the time the preview was made for, so a deadline passing in between cannot change the treatment.
 */
export function ReReportForm({ number, onNumber, onSent }: { number: string; onNumber: (number: string) => void; onSent?: () => void }) {
  const [note, setNote] = useState('');
  const [disputes, setDisputes] = useState(false);
  const [unclear, setUnclear] = useState(false);
  const fields = () => ({ note: note.trim() || undefined, customerDisputesUnitAnswer: disputes || undefined, unitAnswerUnclear: unclear || undefined });
  const preview = useMutation({
    mutationFn: async (): Promise<ReReportPreview & { reportedAt: string }> => {
      const reportedAt = new Date().toISOString();
      const { note: previewNote } = fields();
      const answer = must(
        await api.GET('/api/v1/tickets/{number}/re-report-preview', {
          params: { path: { number: number.trim() }, query: { note: previewNote, reportedAt, customerDisputesUnitAnswer: flag(disputes), unitAnswerUnclear: flag(unclear) } },
        }),
      );
      return { ...answer, reportedAt };
    },
  });
  const reReport = useMutation({
    mutationFn: async () =>
      must(
        await api.POST('/api/v1/tickets/{number}/re-reports', {
          params: { path: { number: number.trim() } },
          body: { ...fields(), reportedAt: preview.data?.reportedAt },
        }),
      ),
    onSuccess: () => {
      preview.reset();
      onSent?.();
    },
  });
  const changed = <T,>(set: (v: T) => void) => (v: T) => {
    set(v);
    preview.reset();
    reReport.reset();
  };
  const shown = preview.data;
  const answer = reReport.data;

  return (
    <>
      <form
        id="form-lapor-ulang"
        aria-label="Lapor Ulang dengan nomor"
        onSubmit={(e) => {
          e.preventDefault();
          reReport.reset();
          preview.mutate();
        }}
      >
        <Field label="Nomor laporan sebelumnya">
          {(p) => <input {...p} required pattern={TICKET_NUMBER_PATTERN} value={number} onChange={(e) => changed(onNumber)(e.target.value)} autoComplete="off" />}
        </Field>
        <Field label="Catatan">{(p) => <textarea {...p} rows={2} value={note} onChange={(e) => changed(setNote)(e.target.value)} />}</Field>
        <label className="inline">
          <input type="checkbox" name="disputes" checked={disputes} onChange={(e) => changed(setDisputes)(e.target.checked)} />
          Pelanggan membantah jawaban unit
        </label>
        <label className="inline">
          <input type="checkbox" name="unclear" checked={unclear} onChange={(e) => changed(setUnclear)(e.target.checked)} />
          Jawaban unit tidak jelas
        </label>
        <ErrorText error={preview.error ?? reReport.error} />
        <div className="actions">
          <button type="submit" disabled={preview.isPending}>
            Pratinjau Lapor Ulang
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {shown && (
          <div className="preview" role="status" aria-label="Pratinjau">
            <p>
              Pratinjau — perlakuan: <strong data-testid="perlakuan-pratinjau">{TREATMENT_LABEL[shown.treatment]}</strong>
            </p>
            <p>
              {shown.ticket.number ? `Laporan ${shown.ticket.number} diperbarui` : 'Laporan baru (nomor diberikan saat dikirim)'} · {KIND_LABEL[shown.ticket.kind]} ·{' '}
              {STATUS_LABEL[shown.ticket.status]} · unit {shown.ticket.unitCode}
            </p>
            {shown.ticket.keterangan && <p className="pre">Keterangan: {shown.ticket.keterangan}</p>}
            <p className="pre">Uraian: {shown.ticket.description}</p>
            {shown.escalations.length > 0 && (
              <ul className="plain">
                {shown.escalations.map((e, i) => (
                  <li key={i}>
                    Eskalasi {CATEGORY_LABEL[e.category]}: <span className="pre">{e.note}</span>
                  </li>
                ))}
              </ul>
            )}
            <div className="actions">
              <button type="button" disabled={reReport.isPending} onClick={() => reReport.mutate()}>
                Kirim Lapor Ulang
              </button>
            </div>
          </div>
        )}
        {answer && <RepeatAnswer answer={answer} testId="nomor-lapor-ulang" />}
      </div>
    </>
  );
}
