import type { Ticket } from '../generated/prisma/client';
import type { Channel, TicketKind, TicketStatus, WoType } from '../generated/prisma/enums';
import type { EventType } from './history';

// The shapes the ticket core's service, repository and statements share; no code depends back on them.

/** Everything a new ticket is made of; the service adds the number, policy times and history. */
export interface TicketDraft {
  kind: TicketKind;
  unitCode: string;
  channel: Channel;
  customer: { name?: string | null; phone?: string | null; idPel?: string | null; meterNumber?: string | null; address?: string | null; province?: string | null };
  problemType: string;
  subType: string | null;
  woType: WoType | null;
  description: string;
  urgent: boolean;
  reportedAt: Date;
  status: 'LAPOR' | 'ISSUE_CLOSED';
  previousNumber?: string | null;
  referenceNumber?: string | null;
  callbackAt?: Date | null;
  transferredFromNumber?: string | null;
  /** The remarks field (API.md "Create"; R-K2 writes its own). */
  keterangan?: string | null;
  eventNote?: string | null;
}

/** The customer of an existing ticket, for a ticket made from it (Lapor Ulang, transfer, IML records). */
export function customerOf(t: Ticket): TicketDraft['customer'] {
  return { name: t.customerName, phone: t.customerPhone, idPel: t.customerIdPel, meterNumber: t.customerMeterNumber, address: t.customerAddress, province: t.customerProvince };
}

/** An event of a change (R-T6); its actor and times are the change's. */
export interface ChangeEvent {
  type: EventType;
  toStatus?: TicketStatus | null;
  note?: string | null;
}

/** A deferred Idempotency-Key (src/http/idempotency.ts) that a create stores with its answer. */
export interface StatementAnswer {
  key: string;
  fingerprint: string;
}
