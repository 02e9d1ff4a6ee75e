import { TicketKind, TicketStatus } from '../../generated/prisma/enums';

// R-T4: the two lifecycles. Moves are forward only; a unit may skip forward steps.
const GANGGUAN_FLOW: TicketStatus[] = ['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA', 'SELESAI', 'DITUTUP'];
const KELUHAN_FLOW: TicketStatus[] = ['LAPOR', 'DIPROSES', 'SELESAI', 'DITUTUP'];

export const TERMINAL: ReadonlySet<TicketStatus> = new Set<TicketStatus>(['DITUTUP', 'BATAL', 'ISSUE_CLOSED']);
/** "status APKT masih terbuka" (000 §2c). NYALA_SEMENTARA and NYALA are neither open nor done (R-R5). */
export const OPEN: ReadonlySet<TicketStatus> = new Set<TicketStatus>(['LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES']);

export const flowOf = (kind: TicketKind) => (kind === 'GANGGUAN' ? GANGGUAN_FLOW : KELUHAN_FLOW);
export const isTerminal = (status: TicketStatus) => TERMINAL.has(status);
export const isOpen = (status: TicketStatus) => OPEN.has(status);

export type MoveCheck = { ok: true } | { ok: false; reason: string };

/** May a unit move a ticket of this kind from `from` to `to`? (R-T4) */
export function checkUnitMove(kind: TicketKind, from: TicketStatus, to: TicketStatus): MoveCheck {
  if (isTerminal(from)) return { ok: false, reason: `the ticket is ${from}, a terminal status` };
  if (to === 'DITUTUP') return { ok: false, reason: 'DITUTUP is reached only by customer confirmation, a Lapor Ulang or the auto-close job' };
  if (to === 'ISSUE_CLOSED') return { ok: false, reason: 'ISSUE_CLOSED is set only at creation' };
  if (to === 'BATAL') {
    return from === 'SELESAI' ? { ok: false, reason: 'BATAL is allowed only before SELESAI' } : { ok: true };
  }
  const flow = flowOf(kind);
  const fromIndex = flow.indexOf(from);
  const toIndex = flow.indexOf(to);
  if (toIndex < 0) return { ok: false, reason: `${to} is not a status of a ${kind}` };
  if (toIndex <= fromIndex) return { ok: false, reason: `moves are forward only: ${from} → ${to}` };
  return { ok: true };
}

/** R-I7: cancel reasons only the service writes (R-I2's forward to ListriQu, R-J2's auto-transfer). */
export const RESERVED_CANCEL_REASONS: readonly string[] = ['DITERUSKAN_KE_LISTRIQU', 'AUTO_TRANSFER'];

/** R-I7: a unit's cancel reason that names a reserved one, ignoring case and surrounding spaces. */
export const isReservedCancelReason = (reason: string | undefined): boolean =>
  reason !== undefined && RESERVED_CANCEL_REASONS.includes(reason.trim().toUpperCase());
