import type { MoveStatus } from './api/contract';
import type { EscalationCategory, TicketKind, TicketStatus, Treatment } from './api/types';

// Words as the procedures spell them (Lapor, Penugasan, Lapor Ulang, Jumlah Lapor Melebihi SLA).
export const STATUS_LABEL: Record<TicketStatus, string> = {
  LAPOR: 'Lapor',
  PENUGASAN: 'Penugasan',
  PERJALANAN: 'Perjalanan',
  PENGERJAAN: 'Pengerjaan',
  NYALA_SEMENTARA: 'Nyala Sementara',
  NYALA: 'Nyala',
  DIPROSES: 'Diproses',
  SELESAI: 'Selesai',
  DITUTUP: 'Ditutup',
  BATAL: 'Batal',
  ISSUE_CLOSED: 'Issue Closed',
};

export const KIND_LABEL: Record<TicketKind, string> = { GANGGUAN: 'Gangguan', KELUHAN: 'Keluhan' };

export const TREATMENT_LABEL: Record<Treatment, string> = {
  UPDATE_LAPOR: 'Update Lapor',
  LAPOR_MELEBIHI_SLA: 'Lapor Melebihi SLA',
  LAPOR_ULANG: 'Lapor Ulang',
  ISSUE_CLOSED: 'Issue Closed',
  LAPORAN_BARU: 'Laporan Baru',
  LAPOR_ULANG_LISTRIQU: 'Lapor Ulang ListriQu',
};

export const CATEGORY_LABEL: Record<EscalationCategory, string> = {
  LAPOR_ULANG: 'Lapor Ulang',
  LAPORAN_MELEBIHI_SLA: 'Laporan Melebihi SLA',
  URGENT: 'Urgent',
  CALLBACK_PELANGGAN: 'Callback Pelanggan',
  REQUEST_CALLBACK: 'Request Callback',
};

// R-T4: the unit's forward moves (a unit may skip steps); BATAL before SELESAI; DITUTUP never.
// The flows after LAPOR, in the move body's own status type.
const FLOW: Record<TicketKind, MoveStatus[]> = {
  GANGGUAN: ['PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA', 'SELESAI'],
  KELUHAN: ['DIPROSES', 'SELESAI'],
};

export function nextStatuses(kind: TicketKind, from: TicketStatus): MoveStatus[] {
  const flow = FLOW[kind];
  if (from === 'LAPOR') return [...flow, 'BATAL'];
  const at = flow.findIndex((s) => s === from);
  if (at < 0) return [];
  const forward = flow.slice(at + 1);
  return from === 'SELESAI' ? forward : [...forward, 'BATAL'];
}

const dateTime = new Intl.DateTimeFormat('id-ID', { dateStyle: 'short', timeStyle: 'short', timeZone: 'Asia/Jakarta' });
export const formatTime = (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : '—');

// Issue 29 (agent desk): the classifications the contract and the rules name, in the words the desk
// uses; a code without a label is shown as it is (a classification the service accepts, API.md Create).
export const PROBLEM_TYPE_LABEL: Record<string, string> = {
  PADAM_1_RUMAH: 'Padam satu rumah',
  PADAM_1_GARDU: 'Padam satu gardu / lingkungan',
  TETANGGA_TIDAK_TURUT_PADAM: 'Padam, tetangga tidak turut padam',
  TEGANGAN_TIDAK_NORMAL: 'Tegangan tidak normal',
  KOMPOR_INDUKSI: 'Kompor induksi',
  INFORMASI: 'Informasi',
  TAGIHAN: 'Tagihan',
  LAIN_LAIN: 'Lain-lain',
};

export const SUBTYPE_LABEL: Record<string, string> = {
  LAYANAN_KOMPOR_INDUKSI: 'Layanan kompor induksi',
  KONDISI_JARINGAN_LISTRIK: 'Kondisi jaringan listrik',
  LAIN_LAIN: 'Lain-lain',
};

export const CHANNEL_LABEL: Record<'CC123' | 'PLN_MOBILE' | 'OTHER', string> = {
  CC123: 'Contact Center 123',
  PLN_MOBILE: 'PLN Mobile',
  OTHER: 'Lainnya',
};

export const WO_TYPE_LABEL: Record<'AUTODISPATCH' | 'IML_LISTRIQU' | 'IML_NON_LISTRIQU', string> = {
  AUTODISPATCH: 'Autodispatch',
  IML_LISTRIQU: 'IML ListriQu',
  IML_NON_LISTRIQU: 'IML non-ListriQu',
};

/** The label of a problem type or subtype code, or the code itself when the desk has no word for it. */
export const labelOf = (dictionary: Record<string, string>, code: string | null | undefined) => (code ? (dictionary[code] ?? code) : '—');
