import type { CloseReason, ListriquOrderStatus, TicketKind, TicketStatus, WoType } from '../../generated/prisma/enums';
import { EscalationCategory } from '../../generated/prisma/enums';
import { DEFAULT_TIME_ZONE, localTimeText } from '../../common/local-time';
import { isOpen } from '../../tickets/rules/lifecycle.rule';

// DOMAIN.md §4 (R-R1…R-R8), R-I4 and the "Belum" answer of R-C2: what a repeated report does, decided
// from plain data so the contact centre never has to choose by hand. No I/O: the caller loads the
// tickets, applies the decision in one transaction (R-E3), and copies kind, unit, customer,
// classification and urgent flag onto any new ticket.

export interface RuleTicket {
  number: string;
  kind: TicketKind;
  status: TicketStatus;
  description: string;
  urgent: boolean;
  slaDeadline: Date;
  resolvedAt: Date | null;
  unitAnswer: string | null;
  confirmationDeadline: Date | null;
  confirmationWindowMinutes: number;
  closeReason: CloseReason | null;
  cancelReason: string | null;
  woType: WoType | null;
  previousNumber: string | null;
  referenceNumber: string | null;
}

export interface ReReportInput {
  /** Already resolved to the newest ticket of its Lapor Ulang chain by the caller. */
  previous: RuleTicket;
  /** `previous` first, then the tickets it links back to (previousNumber / referenceNumber), newest → oldest. */
  chain: readonly RuleTicket[];
  reportedAt: Date;
  /** The request's note: the problem text when non-empty. */
  note?: string | null;
  customerDisputesUnitAnswer?: boolean;
  unitAnswerUnclear?: boolean;
  /** The unit's time zone, for times written into notes (R-T7); default Asia/Jakarta, the units' default. */
  timeZone?: string;
  /** The status of the ListriQu order of a Gangguan forwarded to ListriQu (R-I4, R-I6). */
  orderStatus?: ListriquOrderStatus | null;
}

export type Treatment =
  | 'UPDATE_LAPOR'
  | 'LAPOR_MELEBIHI_SLA'
  | 'LAPOR_ULANG'
  | 'ISSUE_CLOSED'
  | 'LAPORAN_BARU'
  | 'LAPOR_ULANG_LISTRIQU';

export interface NewTicketSpec {
  status: 'LAPOR' | 'ISSUE_CLOSED';
  description: string;
  previousNumber: string | null;
  referenceNumber: string | null;
}

export interface PreviousChange {
  incrementUpdateCount?: boolean;
  incrementJumlahLaporMelebihiSla?: boolean;
  incrementRepeatCount?: boolean;
  markReReported?: boolean;
  closeAs?: 'RE_REPORTED';
  updateNote?: string;
}

export interface EscalationSpec {
  category: EscalationCategory;
  note: string;
}

export interface ReReportDecision {
  treatment: Treatment;
  /** The rule that decided, for history notes and logs: 'R-R1' … 'R-R7', 'R-R4 unclear', 'R-I4', 'R-I6'. */
  rule: string;
  /** The note, else the previous description (R-R4…R-R7, R-I4's WO). */
  problemText: string;
  newTicket: NewTicketSpec | null;
  previous: PreviousChange;
  escalation: EscalationSpec | null;
}

export const DEFAULT_UPDATE_NOTE = 'Pelanggan melapor kembali';
export const LISTRIQU_FORWARD_REASON = 'DITERUSKAN_KE_LISTRIQU';

/** The CREATED event note of a ticket a re-report made; R-R7a reads it back to know R-R4's issue-closed ticket. */
export const reReportCreatedNote = (decision: Pick<ReReportDecision, 'treatment' | 'rule'>, previousNumber: string): string =>
  `${decision.treatment} (${decision.rule}) dari ${previousNumber}`;

/** R-R7a: was the issue-closed ticket with this CREATED note made by R-R4 (not unclear, not any other rule)? */
export const isFourthIdenticalNote = (note: string | null): boolean => note !== null && note.startsWith('ISSUE_CLOSED (R-R4) dari ');

/** The window in whole hours for R-R6's "1X<h> JAM": 1440 → 24, 360 → 6; nearest hour, never 0. */
export function windowHours(minutes: number): number {
  return Math.max(1, Math.round(minutes / 60));
}

/** R-R4: unit answers compared ignoring case and surrounding spaces; a missing answer matches nothing. */
export function sameUnitAnswer(a: string | null, b: string | null): boolean {
  if (a === null || b === null) return false;
  const x = a.trim().toLowerCase();
  return x !== '' && x === b.trim().toLowerCase();
}

/** R-R4…R-R7: the request's note when given, else the previous description. */
export function problemText(previous: RuleTicket, note?: string | null): string {
  const given = note?.trim();
  return given ? given : previous.description;
}

/** R-C1: inside the window means before confirmationDeadline; at the deadline it is outside. */
function windowPassed(previous: RuleTicket, at: Date): boolean {
  if (previous.status === 'DITUTUP' && previous.closeReason === 'NO_CONFIRMATION') return true;
  const deadline =
    previous.confirmationDeadline ??
    (previous.resolvedAt ? new Date(previous.resolvedAt.getTime() + previous.confirmationWindowMinutes * 60_000) : null);
  // no deadline at all cannot put a report inside a window: never a silent Lapor Ulang
  return deadline === null || at.getTime() >= deadline.getTime();
}

// The chain as the caller gave it, `previous` first, cut at the first ticket that is not the one its
// newer neighbour links back to — "the two tickets before it" must really be before it.
function linkedChain(previous: RuleTicket, chain: readonly RuleTicket[]): RuleTicket[] {
  const all = chain[0]?.number === previous.number ? [previous, ...chain.slice(1)] : [previous, ...chain];
  const linked = [all[0]];
  for (let i = 1; i < all.length; i++) {
    const newer = linked[i - 1];
    if (all[i].number !== newer.previousNumber && all[i].number !== newer.referenceNumber) break;
    linked.push(all[i]);
  }
  return linked;
}

const finished = (t: RuleTicket) => (t.status === 'SELESAI' || t.status === 'DITUTUP') && t.unitAnswer !== null;

// R-R4: previous SELESAI or DITUTUP/NO_CONFIRMATION, and it and the two tickets before it each reached
// SELESAI with the same answer. A chain shorter than three never qualifies.
function threeIdenticalAnswers(previous: RuleTicket, chain: readonly RuleTicket[]): boolean {
  const eligible =
    previous.status === 'SELESAI' || (previous.status === 'DITUTUP' && previous.closeReason === 'NO_CONFIRMATION');
  if (!eligible) return false;
  const last3 = linkedChain(previous, chain).slice(0, 3);
  return (
    last3.length === 3 &&
    last3.every(finished) &&
    sameUnitAnswer(last3[0].unitAnswer, last3[1].unitAnswer) &&
    sameUnitAnswer(last3[0].unitAnswer, last3[2].unitAnswer)
  );
}

// R-R8: an urgent previous ticket queues URGENT instead of the treatment's own category; the note always
// names the treatment and the ticket so the back office knows what happened without opening it.
function escalation(
  previous: RuleTicket,
  treatment: Treatment,
  own: EscalationCategory | null,
  why: string,
  note?: string | null,
): EscalationSpec | null {
  const category = previous.urgent ? EscalationCategory.URGENT : own;
  if (category === null) return null;
  const customer = note?.trim() ? ` Catatan pelanggan: ${note.trim()}` : '';
  const urgent = previous.urgent ? 'URGENT – ' : '';
  return { category, note: `${urgent}${treatment} ${previous.number}: ${why}.${customer}` };
}

// Every new ticket but R-R3's refers to the previous one (referenceNumber), status LAPOR unless R-R4.
function referring(
  treatment: 'LAPORAN_BARU' | 'ISSUE_CLOSED',
  rule: string,
  previous: RuleTicket,
  text: string,
  description: string,
): ReReportDecision {
  return {
    treatment,
    rule,
    problemText: text,
    newTicket: {
      status: treatment === 'ISSUE_CLOSED' ? 'ISSUE_CLOSED' : 'LAPOR',
      description,
      previousNumber: null,
      referenceNumber: previous.number,
    },
    previous: {},
    escalation: null,
  };
}

/** R-R6's text (also R-R4's unclear answer after the window). */
export function afterWindowDescription(previous: RuleTicket, text: string): string {
  const h = windowHours(previous.confirmationWindowMinutes);
  return `${text} PELANGGAN PERNAH LAPOR DENGAN NO: ${previous.number}, STATUS SELESAI, PELANGGAN TIDAK KONFIRMASI s.d 1X${h} JAM`;
}

/**
 * R-R3 Lapor Ulang, also the "Belum" answer of R-C2. The caller has checked that `previous` is SELESAI
 * and inside its window (R-R3 here, 409 for R-C2). The note only goes into the escalation.
 */
export function laporUlang(previous: RuleTicket, note?: string | null): ReReportDecision {
  return {
    treatment: 'LAPOR_ULANG',
    rule: 'R-R3',
    problemText: problemText(previous, note),
    newTicket: {
      status: 'LAPOR',
      description: `Gangguan Berulang: ${previous.number} ${previous.description}`,
      previousNumber: previous.number,
      referenceNumber: null,
    },
    // Reading of 000 §3.4: jumlahLaporMelebihiSla goes up too; DITUTUP/RE_REPORTED so R-J1 never
    // claims the customer stayed silent.
    previous: { markReReported: true, incrementRepeatCount: true, incrementJumlahLaporMelebihiSla: true, closeAs: 'RE_REPORTED' },
    escalation: escalation(
      previous,
      'LAPOR_ULANG',
      EscalationCategory.LAPOR_ULANG,
      'pelanggan melaporkan gangguan berulang dalam masa konfirmasi, laporan dibuat ulang',
      note,
    ),
  };
}

/** R-R1…R-R8 and R-I4, first match wins, at `reportedAt`. */
export function decideReReport(input: ReReportInput): ReReportDecision {
  const { previous, reportedAt, note } = input;
  const at = reportedAt.getTime();
  const text = problemText(previous, note);

  // R-R4 (checked first): three identical unit answers → the agent explains, the report is issue-closed.
  if (threeIdenticalAnswers(previous, input.chain)) {
    if (input.customerDisputesUnitAnswer) {
      // R-R4 dispute (000 §B2a): the rules below apply as if R-R4 did not; the dispute wins over unclear
    } else if (input.unitAnswerUnclear) {
      // R-R4 unclear (000 §B2b): Laporan Baru, with R-R6's text only once the window has passed
      const description = windowPassed(previous, reportedAt) ? afterWindowDescription(previous, text) : text;
      return referring('LAPORAN_BARU', 'R-R4 unclear', previous, text, description);
    } else {
      return referring('ISSUE_CLOSED', 'R-R4', previous, text, text); // R-R4
    }
  }

  if (isOpen(previous.status) && at < previous.slaDeadline.getTime()) {
    // R-R1: appended as an update note, no new ticket; only an urgent ticket escalates (R-R8)
    return {
      treatment: 'UPDATE_LAPOR',
      rule: 'R-R1',
      problemText: text,
      newTicket: null,
      previous: { incrementUpdateCount: true, updateNote: note?.trim() || DEFAULT_UPDATE_NOTE },
      escalation: escalation(previous, 'UPDATE_LAPOR', null, 'pelanggan melapor kembali sebelum batas SLA', note),
    };
  }

  if (isOpen(previous.status)) {
    // R-R2: at or after the SLA deadline ("masuk / melebihi SLA")
    return {
      treatment: 'LAPOR_MELEBIHI_SLA',
      rule: 'R-R2',
      problemText: text,
      newTicket: null,
      previous: { incrementJumlahLaporMelebihiSla: true },
      escalation: escalation(
        previous,
        'LAPOR_MELEBIHI_SLA',
        EscalationCategory.LAPORAN_MELEBIHI_SLA,
        `pelanggan melapor kembali, laporan melebihi SLA (batas ${localTimeText(previous.slaDeadline, input.timeZone ?? DEFAULT_TIME_ZONE)}), status ${previous.status}`,
        note,
      ),
    };
  }

  if (previous.status === 'SELESAI' && !windowPassed(previous, reportedAt)) {
    return laporUlang(previous, note); // R-R3
  }

  if (previous.status === 'NYALA' || previous.status === 'NYALA_SEMENTARA') {
    // R-R5: the unit said the power is back, the customer says it is still dark
    const description = `LAPORAN INI MENGACU PADA LAPORAN SEBELUMNYA NO : ${previous.number}, SESUAI INFORMASI PELANGGAN, BELUM DITINDAKLANJUTI & LISTRIK DI LOKASI MASIH PADAM ${text}`;
    return referring('LAPORAN_BARU', 'R-R5', previous, text, description);
  }

  if (previous.status === 'SELESAI' || (previous.status === 'DITUTUP' && previous.closeReason === 'NO_CONFIRMATION')) {
    // R-R6: the window passed without confirmation (closed by R-J1, or the job has not run yet)
    return referring('LAPORAN_BARU', 'R-R6', previous, text, afterWindowDescription(previous, text));
  }

  if (previous.cancelReason === LISTRIQU_FORWARD_REASON && input.orderStatus === 'BATAL') {
    // R-I6: the order no longer exists at ListriQu; the IML intake runs R-I2 anew (a Laporan Baru)
    return { treatment: 'LAPORAN_BARU', rule: 'R-I6', problemText: text, newTicket: null, previous: {}, escalation: null };
  }

  if (previous.cancelReason === LISTRIQU_FORWARD_REASON) {
    // R-I4 (before R-R7): the ListriQu module bumps the order and builds its issue-closed Keluhan
    return { treatment: 'LAPOR_ULANG_LISTRIQU', rule: 'R-I4', problemText: text, newTicket: null, previous: {}, escalation: null };
  }

  // R-R7: DITUTUP confirmed or re-reported, BATAL, ISSUE_CLOSED
  return referring('LAPORAN_BARU', 'R-R7', previous, text, text);
}
