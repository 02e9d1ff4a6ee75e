import type { ItsmCallType, ItsmStatus, Prisma } from '../generated/prisma/client';

// Children read with every reference: notes oldest first, the Keluhan in the order they were linked.
export const WITH_CHILDREN = {
  notes: { orderBy: { id: 'asc' } },
  tickets: { orderBy: [{ linkedAt: 'asc' }, { ticketNumber: 'asc' }] },
} satisfies Prisma.ItsmReferenceInclude;

export type ItsmReferenceRow = Prisma.ItsmReferenceGetPayload<{ include: typeof WITH_CHILDREN }>;

/** The ITSM reference of API.md. */
export interface ItsmReferenceView {
  id: string;
  itsmTicketId: string;
  callType: ItsmCallType;
  category: string;
  status: ItsmStatus;
  email: string;
  customer: { name: string; phone: string; idPel: string | null };
  ticketNumbers: string[];
  previousItsmTicketId: string | null;
  notes: { note: string; by: string; at: string }[];
  createdAt: string;
  updatedAt: string;
}

export const toItsmReferenceView = (r: ItsmReferenceRow): ItsmReferenceView => ({
  id: r.id,
  itsmTicketId: r.itsmTicketId,
  callType: r.callType,
  category: r.category,
  status: r.status,
  email: r.email,
  customer: { name: r.customerName, phone: r.customerPhone, idPel: r.customerIdPel },
  ticketNumbers: r.tickets.map((t) => t.ticketNumber),
  previousItsmTicketId: r.previousItsmTicketId,
  notes: r.notes.map((n) => ({ note: n.note, by: n.writtenBy, at: n.writtenAt.toISOString() })),
  createdAt: r.createdAt.toISOString(),
  updatedAt: r.updatedAt.toISOString(),
});
