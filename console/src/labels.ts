import type { MoveStatus } from './api/contract';
import { formatDateTime } from './format';
import type { components } from './api/schema';
import type { AttachAnswer, EscalationCategory, TicketKind, TicketStatus, Treatment } from './api/types';

type TicketEvent = components['schemas']['Event'];

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

export const EVENT_LABEL: Record<TicketEvent['type'], string> = {
  CREATED: 'Laporan dibuat',
  STATUS_CHANGED: 'Status dipindahkan',
  UPDATE_LAPOR: 'Update Lapor',
  LAPOR_MELEBIHI_SLA: 'Lapor Melebihi SLA',
  RE_REPORTED: 'Lapor Ulang',
  CONFIRMED: 'Dikonfirmasi pelanggan',
  AUTO_CLOSED: 'Ditutup otomatis',
  AUTO_TRANSFERRED: 'Dialihkan otomatis',
  ESCALATED: 'Dieskalasi ke back office',
  FORWARDED_TO_LISTRIQU: 'Diteruskan ke ListriQu',
  LISTRIQU_STATUS_CHANGED: 'Status ListriQu berubah',
  LAPOR_ULANG_LISTRIQU: 'Lapor Ulang ListriQu',
  IML_CORRECTED: 'Koreksi IML',
  SLA_BREACHED: 'Melebihi SLA',
  ESCALATION_DONE: 'Eskalasi selesai',
  ATTACHED_TO_OUTAGE: 'Masuk padam meluas',
  DETACHED_FROM_OUTAGE: 'Keluar dari padam meluas',
  OUTAGE_ETR_CHANGED: 'ETR padam meluas berubah',
  RATED: 'Dinilai pelanggan',
  PERSONAL_DATA_ERASED: 'Data pribadi dihapus',
};

export const ROLE_LABEL: Record<TicketEvent['actor']['role'], string> = {
  cso: 'Agen Contact Center',
  mobile: 'PLN Mobile',
  unit: 'Petugas Unit',
  backoffice: 'Back Office',
  admin: 'Admin',
  listriqu: 'ListriQu',
  itsm: 'ITSM',
  system: 'Sistem',
};

export const ATTACH_REFUSAL_LABEL: Record<AttachAnswer['refused'][number]['reason'], string> = {
  NOT_FOUND: 'tidak ditemukan',
  OTHER_UNIT: 'milik unit lain',
  NOT_GANGGUAN: 'bukan Gangguan',
  ALREADY_ATTACHED: 'sudah di padam ini',
  IN_ANOTHER_OUTAGE: 'sudah di padam lain',
  NOT_OPEN: 'tidak terbuka lagi',
};

/**
 * One definition for the dashboard and the reports. "Terbuka" is R-T4's open (the report's openNow);
 * "Aktif" is what the unit still acts on: open, or Nyala Sementara / Nyala awaiting the unit's Selesai
 * (the dashboard's list). Both pages show both definitions.
 */
export const OPEN_STATUSES: readonly TicketStatus[] = ['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES'];
export const AWAITING_SELESAI: readonly TicketStatus[] = ['NYALA_SEMENTARA', 'NYALA'];
const names = (statuses: readonly TicketStatus[]) => statuses.map((s) => STATUS_LABEL[s]).join(', ');
export const OPEN_DEFINITION = `Terbuka: berstatus ${names(OPEN_STATUSES)}.`;
export const ACTIVE_DEFINITION = `Aktif: terbuka, atau sudah ${names(AWAITING_SELESAI)} dan menunggu Selesai dari unit.`;

/**
 * An outage is "aktif" while reports can still join it: before Nyala (the service's ?active=true,
 * R-O2, R-O5). At Nyala it is no longer active but, not being final, still awaits Selesai or Batal (R-O1).
 */
export const OUTAGE_ACTIVE: readonly TicketStatus[] = ['PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA'];
export const OUTAGE_ACTIVE_DEFINITION = `Aktif: padam berstatus ${names(OUTAGE_ACTIVE)} — laporan masih dapat dilampirkan. Setelah Nyala padam tidak aktif lagi, tetapi masih menunggu Selesai.`;

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

// One way to write a time on every page (format.ts): id-ID, the zone named (WIB by default).
export const formatTime = (iso: string | null, timeZone?: string) => formatDateTime(iso, timeZone);

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

// Issue 27: the outbox's words. An event type is shown with its code too (integrators know it by that).
export const MESSAGE_STATUS_LABEL: Record<string, string> = {
  PENDING: 'Menunggu',
  DELIVERED: 'Terkirim',
  FAILED: 'Gagal',
  KEPT: 'Disimpan (tanpa SMTP)',
};

export const OUTBOUND_TYPE_LABEL: Record<string, string> = {
  '*': 'Semua peristiwa',
  'ticket.created': 'Laporan dibuat',
  'ticket.status_changed': 'Status laporan berubah',
  'ticket.re_reported': 'Lapor Ulang',
  'ticket.sla_breached': 'Laporan melebihi SLA',
  'ticket.closed': 'Laporan ditutup',
  'escalation.created': 'Eskalasi dibuat',
  'escalation.done': 'Eskalasi selesai',
  'outage.created': 'Padam meluas dibuat',
  'outage.status_changed': 'Status padam meluas berubah',
  'outage.etr_changed': 'ETR padam meluas berubah',
  'sla.digest': 'Ringkasan over SLA (surel)',
  'webhook.disabled': 'Endpoint dinonaktifkan (surel)',
};

/** An endpoint's disabledReason as the service writes it (R-W4), in the console's words. */
export function disabledReasonLabel(reason: string | null): string {
  if (!reason) return '';
  if (reason === 'disabled by an admin') return 'dinonaktifkan admin';
  const failing = /^every delivery failed since (\S+) \(5 days\)$/.exec(reason);
  return failing ? `semua pengiriman gagal sejak ${formatTime(failing[1])} (5 hari)` : reason;
}
