import { useMutation, useQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { api, must } from '../api/client';
import type { CreateTicketBody, Province } from '../api/contract';
import type { Outage, ReReportAnswer, Ticket, TicketKind, TicketStatus } from '../api/types';
import { CHANNEL_LABEL, formatTime, KIND_LABEL, labelOf, PROBLEM_TYPE_LABEL, STATUS_LABEL, SUBTYPE_LABEL, WO_TYPE_LABEL } from '../labels';
import { PROVINCES } from '../provinces';
import { ErrorText, Field } from './field';
import { blocksNewTicket, openTicketOf, RepeatAnswer, ReturningCaller, useRepeatPreview } from './returning-caller';

const KOMPOR_SUBTYPE = 'LAYANAN_KOMPOR_INDUKSI'; // R-K1…R-K3
// The problem types the desk offers per kind (R-T3; TETANGGA_TIDAK_TURUT_PADAM is the one R-I2 needs for an IML report)
const PROBLEM_TYPES: Record<TicketKind, string[]> = {
  GANGGUAN: ['PADAM_1_RUMAH', 'PADAM_1_GARDU', 'TETANGGA_TIDAK_TURUT_PADAM', 'TEGANGAN_TIDAK_NORMAL', 'LAIN_LAIN'],
  KELUHAN: ['INFORMASI', 'TAGIHAN', 'LAIN_LAIN'],
};
const SUBTYPES = Object.keys(SUBTYPE_LABEL); // the sub-types the desk has words for
const CHANNELS = Object.keys(CHANNEL_LABEL) as (keyof typeof CHANNEL_LABEL)[];
const WO_TYPES = Object.keys(WO_TYPE_LABEL) as (keyof typeof WO_TYPE_LABEL)[];
/** The choices, with a value the form holds that the list lacks (a follow-up's own classification) kept. */
const withCurrent = (choices: string[], current: string) => (current && !choices.includes(current) ? [...choices, current] : choices);

const EMPTY = {
  kind: 'GANGGUAN' as TicketKind,
  unitCode: '',
  channel: 'CC123' as 'CC123' | 'PLN_MOBILE' | 'OTHER',
  name: '',
  phone: '',
  idPel: '',
  meterNumber: '',
  address: '',
  province: '' as Province | '',
  problemType: 'PADAM_1_RUMAH',
  subType: '',
  description: '',
  urgent: false,
  woType: 'AUTODISPATCH' as 'AUTODISPATCH' | 'IML_LISTRIQU' | 'IML_NON_LISTRIQU',
  appProblem: false,
  komporPowered: 'ya',
  komporPayment: '',
  komporMcb: '',
  komporVisit: '',
  imlWillingToPay: 'ya',
  imlVisit: '',
  imlRegency: '',
  imlDistrict: '',
  imlVillage: '',
  imlLandmark: '',
  appCategory: '',
  appForward: false,
  appItsmTicketId: '',
  appCallType: 'INCIDENT' as 'INCIDENT' | 'SERVICE_REQUEST',
  appEmail: '',
  outageId: '',
};
type Form = typeof EMPTY;

/** What a found customer brings to the form (customer search, R-L1): whatever the search knows. */
export type CustomerPrefill = Partial<Pick<Form, 'name' | 'phone' | 'idPel' | 'meterNumber' | 'address' | 'province' | 'unitCode'>>;

const present = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** Which of the special sections apply (R-K3 stove, R-I2 IML, R-A1…R-A4 app problem). */
export function sectionsOf(form: Pick<Form, 'kind' | 'unitCode' | 'subType' | 'woType' | 'appProblem'>) {
  return {
    kompor: form.kind === 'KELUHAN' && form.subType.trim() === KOMPOR_SUBTYPE,
    iml: form.kind === 'GANGGUAN' && form.woType !== 'AUTODISPATCH',
    appProblem: form.kind === 'KELUHAN' && form.appProblem,
    // R-O2: a Gangguan may join an open outage of its unit at creation (not an IML report: the service refuses it)
    outage: form.kind === 'GANGGUAN' && form.woType === 'AUTODISPATCH' && form.unitCode !== '',
  };
}

/**
 * The ticket a follow-up refers to (R-E4: the back office creates the report after a callback): its
 * customer and classification are offered again, and the new ticket carries `referenceNumber`.
 */
function fromReference(reference: Ticket): Form {
  return {
    ...EMPTY,
    kind: reference.kind,
    unitCode: reference.unitCode,
    channel: reference.channel,
    name: reference.customer.name ?? '',
    phone: reference.customer.phone ?? '',
    idPel: reference.customer.idPel ?? '',
    meterNumber: reference.customer.meterNumber ?? '',
    address: reference.customer.address ?? '',
    province: reference.customer.province ?? '',
    problemType: reference.problemType,
    subType: reference.subType ?? '',
  };
}

function toBody(form: Form, referenceNumber: string | undefined): CreateTicketBody {
  const sections = sectionsOf(form);
  const body: CreateTicketBody = {
    kind: form.kind,
    unitCode: form.unitCode,
    channel: form.channel,
    customer: {
      name: present(form.name),
      phone: present(form.phone),
      idPel: present(form.idPel),
      meterNumber: present(form.meterNumber),
      address: present(form.address),
      province: form.province === '' ? undefined : form.province,
    },
    problemType: sections.appProblem ? 'LAIN_LAIN' : form.problemType.trim(),
    subType: sections.appProblem ? 'LAIN_LAIN' : present(form.subType),
    description: form.description,
    urgent: form.urgent,
  };
  if (form.kind === 'GANGGUAN') body.woType = form.woType;
  if (referenceNumber) body.referenceNumber = referenceNumber;
  if (sections.outage && form.outageId) body.outageId = form.outageId;
  if (sections.kompor) {
    const powered = form.komporPowered === 'ya';
    body.komporInduksi = {
      installationPowered: powered,
      paymentType: powered ? undefined : (present(form.komporPayment) as 'PRABAYAR' | 'PASCABAYAR' | undefined),
      mcbPln: powered ? undefined : (present(form.komporMcb) as 'ON' | 'OFF' | undefined),
      preferredVisitDate: powered ? undefined : present(form.komporVisit),
    };
  }
  if (sections.iml) {
    body.iml = {
      willingToPay: form.imlWillingToPay === 'ya',
      preferredVisitDate: present(form.imlVisit),
      regency: present(form.imlRegency),
      district: present(form.imlDistrict),
      village: present(form.imlVillage),
      landmark: present(form.imlLandmark),
    };
  }
  if (sections.appProblem) {
    body.appProblem = {
      category: form.appCategory.trim(),
      forwardToItsm: form.appForward,
      itsmTicketId: form.appForward ? present(form.appItsmTicketId) : undefined,
      callType: form.appForward ? form.appCallType : undefined,
      email: form.appForward ? present(form.appEmail) : undefined,
    };
  }
  return body;
}

/**
 * A new Gangguan/Keluhan (the agent desk), or with `reference` the follow-up ticket of a callback
 * (the back-office queue, R-E4), which refers to it by `referenceNumber`.
 */
export function CreateTicketForm({
  reference,
  onCreated,
  prefill,
  customerTickets = [],
  onCleared,
  onRepeated,
  id,
}: {
  reference?: Ticket;
  onCreated?: (ticket: Ticket) => void;
  /** a found customer: `key` changes with each choice, so choosing the same customer again fills again */
  prefill?: { key: number; values: CustomerPrefill };
  /** the found customer's tickets (newest first): an open one of the form's kind is a returning caller */
  customerTickets?: Ticket[];
  /** the form was emptied (sent, or Kosongkan): the found customer no longer applies */
  onCleared?: () => void;
  onRepeated?: (answer: ReReportAnswer) => void;
  id?: string;
} = {}) {
  const initial = reference ? fromReference(reference) : EMPTY;
  const [form, setForm] = useState(initial);
  const [repeated, setRepeated] = useState<ReReportAnswer | null>(null);
  useEffect(() => {
    if (prefill) setForm((f) => ({ ...f, ...prefill.values, outageId: prefill.values.unitCode && prefill.values.unitCode !== f.unitCode ? '' : f.outageId }));
  }, [prefill]);
  const set = <K extends keyof Form>(key: K) => (value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const text = (key: keyof Form) => (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement | HTMLSelectElement>) =>
    setForm((f) => ({ ...f, [key]: e.target.value }));
  const units = useQuery({ queryKey: ['units'], queryFn: async () => must(await api.GET('/api/v1/units')).items });
  const clear = () => {
    setForm(initial);
    onCleared?.();
  };
  const create = useMutation({
    mutationFn: async (body: CreateTicketBody) => must(await api.POST('/api/v1/tickets', { body })),
    onSuccess: (ticket) => {
      setRepeated(null);
      clear(); // the next caller starts from an empty form; the number stays shown below
      onCreated?.(ticket);
    },
  });
  // R-R1…R-R8: a caller whose ticket of this kind is still in hand is a repeat, decided by the rules (R-L2 preview)
  const open = reference ? undefined : openTicketOf(customerTickets, form.kind);
  const preview = useRepeatPreview(open?.number, prefill?.key);
  const blocked = open !== undefined && blocksNewTicket(preview);
  const sections = sectionsOf(form);
  const outages = useQuery({
    queryKey: ['active-outages', form.unitCode],
    queryFn: async () => must(await api.GET('/api/v1/outages', { params: { query: { unitCode: form.unitCode, active: 'true', limit: 100 } } })).items,
    enabled: sections.outage,
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    if (blocked) return;
    create.mutate(toBody(form, reference?.number));
  };

  return (
    <>
      <form id={id} onSubmit={submit} aria-label={reference ? 'Laporan lanjutan' : 'Buat laporan'}>
        <fieldset className="row">
          <legend>Jenis laporan</legend>
          {(['GANGGUAN', 'KELUHAN'] as const).map((kind) => (
            <label key={kind} className="inline">
              <input
                type="radio"
                name="kind"
                value={kind}
                checked={form.kind === kind}
                onChange={() => setForm((f) => ({ ...f, kind, problemType: PROBLEM_TYPES[kind].includes(f.problemType) ? f.problemType : PROBLEM_TYPES[kind][0] }))}
              />
              {KIND_LABEL[kind]}
            </label>
          ))}
        </fieldset>
        {open && (
          <ReturningCaller
            ticket={open}
            preview={preview}
            note={form.description}
            onDone={(answer) => {
              create.reset();
              setRepeated(answer);
              clear();
              onRepeated?.(answer);
            }}
          />
        )}
        <div className="grid">
          <Field label="Unit">
            {(p) => (
              <select {...p} required value={form.unitCode} onChange={(e) => setForm((f) => ({ ...f, unitCode: e.target.value, outageId: '' }))}>
                <option value="">— pilih unit —</option>
                {units.data?.map((u) => (
                  <option key={u.code} value={u.code}>
                    {u.code} · {u.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
          <Field label="Kanal">
            {(p) => (
              <select {...p} value={form.channel} onChange={text('channel')}>
                {CHANNELS.map((c) => (
                  <option key={c} value={c}>
                    {CHANNEL_LABEL[c]}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
        <fieldset>
          <legend>Pelanggan</legend>
          <div className="grid">
            <Field label="Nama">{(p) => <input {...p} value={form.name} onChange={text('name')} autoComplete="off" />}</Field>
            <Field label="Telepon" hint="8–15 angka, boleh diawali +">
              {(p) => <input {...p} value={form.phone} onChange={text('phone')} inputMode="tel" autoComplete="off" />}
            </Field>
            <Field label="ID Pel" hint="12 angka">
              {(p) => <input {...p} value={form.idPel} onChange={text('idPel')} inputMode="numeric" autoComplete="off" />}
            </Field>
            <Field label="Nomor meter" hint="11 angka">
              {(p) => <input {...p} value={form.meterNumber} onChange={text('meterNumber')} inputMode="numeric" autoComplete="off" />}
            </Field>
            <Field label="Alamat">{(p) => <input {...p} value={form.address} onChange={text('address')} autoComplete="off" />}</Field>
            <Field label="Provinsi">
              {(p) => (
                <select {...p} value={form.province} onChange={(e) => set('province')(PROVINCES.find((key) => key === e.target.value) ?? '')}>
                  <option value="">—</option>
                  {PROVINCES.map((name) => (
                    <option key={name}>{name}</option>
                  ))}
                </select>
              )}
            </Field>
          </div>
        </fieldset>
        <fieldset>
          <legend>Masalah</legend>
          <div className="grid">
            {!sections.appProblem && (
              <>
                <Field label="Jenis masalah">
                  {(p) => (
                    <select {...p} required value={form.problemType} onChange={text('problemType')}>
                      {withCurrent(PROBLEM_TYPES[form.kind], form.problemType).map((t) => (
                        <option key={t} value={t}>
                          {labelOf(PROBLEM_TYPE_LABEL, t)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
                <Field label="Sub jenis">
                  {(p) => (
                    <select {...p} value={form.subType} onChange={text('subType')}>
                      <option value="">— tidak ada —</option>
                      {withCurrent(SUBTYPES, form.subType).map((t) => (
                        <option key={t} value={t}>
                          {labelOf(SUBTYPE_LABEL, t)}
                        </option>
                      ))}
                    </select>
                  )}
                </Field>
              </>
            )}
            {form.kind === 'GANGGUAN' && (
              <Field label="Jenis WO">
                {(p) => (
                  <select {...p} value={form.woType} onChange={text('woType')}>
                    {WO_TYPES.map((w) => (
                      <option key={w} value={w}>
                        {WO_TYPE_LABEL[w]}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
            )}
          </div>
          {form.kind === 'KELUHAN' && (
            <label className="inline">
              <input type="checkbox" name="appProblem" checked={form.appProblem} onChange={(e) => set('appProblem')(e.target.checked)} />
              Masalah aplikasi PLN Mobile
            </label>
          )}
          <Field label="Uraian (kata-kata pelanggan)">
            {(p) => <textarea {...p} required rows={3} value={form.description} onChange={text('description')} />}
          </Field>
          <label className="inline">
            <input type="checkbox" name="urgent" checked={form.urgent} onChange={(e) => set('urgent')(e.target.checked)} />
            Urgent
          </label>
        </fieldset>

        {sections.outage && outages.data && (
          <OutageChoice unitCode={form.unitCode} outages={outages.data} value={form.outageId} onChange={set('outageId')} />
        )}
        <ErrorText error={sections.outage ? outages.error : null} />

        {sections.kompor && (
          <fieldset className="section" aria-label="Kompor induksi">
            <legend>Kompor induksi</legend>
            <Field label="Instalasi kompor bertegangan?">
              {(p) => (
                <select {...p} value={form.komporPowered} onChange={text('komporPowered')}>
                  <option value="ya">Ya</option>
                  <option value="tidak">Tidak</option>
                </select>
              )}
            </Field>
            {form.komporPowered === 'tidak' && (
              <div className="grid">
                <Field label="Jenis pembayaran">
                  {(p) => (
                    <select {...p} required value={form.komporPayment} onChange={text('komporPayment')}>
                      <option value="">—</option>
                      <option value="PRABAYAR">Prabayar</option>
                      <option value="PASCABAYAR">Pascabayar</option>
                    </select>
                  )}
                </Field>
                <Field label="MCB PLN">
                  {(p) => (
                    <select {...p} required value={form.komporMcb} onChange={text('komporMcb')}>
                      <option value="">—</option>
                      <option value="ON">ON</option>
                      <option value="OFF">OFF</option>
                    </select>
                  )}
                </Field>
                <Field label="Tanggal kunjungan">{(p) => <input {...p} type="date" required value={form.komporVisit} onChange={text('komporVisit')} />}</Field>
              </div>
            )}
          </fieldset>
        )}

        {sections.iml && (
          <fieldset className="section">
            <legend>Instalasi milik pelanggan (IML)</legend>
            <div className="grid">
              <Field label="Bersedia membayar?">
                {(p) => (
                  <select {...p} value={form.imlWillingToPay} onChange={text('imlWillingToPay')}>
                    <option value="ya">Ya</option>
                    <option value="tidak">Tidak</option>
                  </select>
                )}
              </Field>
              <Field label="Tanggal kunjungan">{(p) => <input {...p} type="date" value={form.imlVisit} onChange={text('imlVisit')} />}</Field>
              <Field label="Kabupaten/Kota">{(p) => <input {...p} value={form.imlRegency} onChange={text('imlRegency')} />}</Field>
              <Field label="Kecamatan">{(p) => <input {...p} value={form.imlDistrict} onChange={text('imlDistrict')} />}</Field>
              <Field label="Kelurahan/Desa">{(p) => <input {...p} value={form.imlVillage} onChange={text('imlVillage')} />}</Field>
              <Field label="Patokan">{(p) => <input {...p} value={form.imlLandmark} onChange={text('imlLandmark')} />}</Field>
            </div>
          </fieldset>
        )}

        {sections.appProblem && (
          <fieldset className="section">
            <legend>Masalah aplikasi PLN Mobile</legend>
            <Field label="Kategori (jenis keluhan)">{(p) => <input {...p} required value={form.appCategory} onChange={text('appCategory')} />}</Field>
            <label className="inline">
              <input type="checkbox" name="appForward" checked={form.appForward} onChange={(e) => set('appForward')(e.target.checked)} />
              Eskalasi ke ITSM
            </label>
            {form.appForward && (
              <div className="grid">
                <Field label="ID tiket ITSM">{(p) => <input {...p} value={form.appItsmTicketId} onChange={text('appItsmTicketId')} />}</Field>
                <Field label="Call type">
                  {(p) => (
                    <select {...p} value={form.appCallType} onChange={text('appCallType')}>
                      <option value="INCIDENT">Incident</option>
                      <option value="SERVICE_REQUEST">Service Request</option>
                    </select>
                  )}
                </Field>
                <Field label="E-mail pelanggan">{(p) => <input {...p} type="email" value={form.appEmail} onChange={text('appEmail')} />}</Field>
              </div>
            )}
          </fieldset>
        )}

        <ErrorText error={create.error} />
        <div className="actions">
          <button type="submit" disabled={create.isPending || blocked} aria-describedby={blocked && preview.data ? 'laporan-baru-ditahan' : undefined}>
            {create.isPending ? 'Mengirim…' : 'Kirim laporan'}
          </button>
          <button type="button" className="secondary" data-action="kosongkan" onClick={() => (clear(), create.reset(), setRepeated(null))}>
            Kosongkan
          </button>
        </div>
      </form>
      <div aria-live="polite">
        {create.data && <CreatedAnswer ticket={create.data} />}
        {repeated && <RepeatAnswer answer={repeated} />}
      </div>
    </>
  );
}

/**
 * R-O2: the open outages of the chosen unit, offered so that a caller in the affected area joins the
 * outage (and takes its status and ETR) instead of waiting for a crew of their own.
 */
function OutageChoice({ unitCode, outages, value, onChange }: { unitCode: string; outages: Outage[]; value: string; onChange: (id: string) => void }) {
  if (outages.length === 0) return <p className="help">Tidak ada padam meluas aktif di unit {unitCode}.</p>;
  return (
    <fieldset className="section" aria-label={`Padam meluas aktif di unit ${unitCode}`}>
      <legend>Padam meluas aktif di unit {unitCode}</legend>
      <p className="help">Jika pelanggan berada di wilayah terdampak, lampirkan laporan ke padam meluas: laporan mengikuti status dan ETR-nya.</p>
      <label className="inline choice">
        <input type="radio" name="outageId" value="" checked={value === ''} onChange={() => onChange('')} />
        Tidak dilampirkan
      </label>
      {outages.map((o) => (
        <label key={o.id} className="inline choice">
          <input type="radio" name="outageId" value={o.id} checked={value === o.id} onChange={() => onChange(o.id)} />
          {o.title} — {o.area} · {STATUS_LABEL[o.status]} · ETR {formatTime(o.etr)}
        </label>
      ))}
    </fieldset>
  );
}

/** The answer's number, large: the agent reads it out to the caller; and the outage it joined. */
function CreatedAnswer({ ticket }: { ticket: Ticket }) {
  return (
    <div className="answer" role="status">
      <p>Laporan dibuat · nomor laporan</p>
      <p className="number" data-testid="nomor-laporan">
        {ticket.number}
      </p>
      <p>
        {KIND_LABEL[ticket.kind]} · {labelOf(PROBLEM_TYPE_LABEL, ticket.problemType)} · {STATUS_LABEL[ticket.status]} · unit {ticket.unitCode} · {ticket.customer.name ?? ''}
        {ticket.referenceNumber ? ` · merujuk ${ticket.referenceNumber}` : ''}
      </p>
      {ticket.outage && (
        <p data-testid="padam-laporan">
          Mengikuti padam meluas <strong>{ticket.outage.title}</strong> · {outageStatus(ticket.outage.status)} · ETR {formatTime(ticket.outage.etr)}
        </p>
      )}
    </div>
  );
}

// The ticket's outage names its status as a plain string in the document.
const outageStatus = (status: string) => STATUS_LABEL[status as TicketStatus] ?? status;
