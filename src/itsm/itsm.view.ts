import { AnswerShape, Field, inline, list, nullable, oneOf, PageOf, pageShape, string, time } from '../common/answer-shape';
import type { ItsmCallType, ItsmStatus, Prisma } from '../generated/prisma/client';
import { ITSM_STATUSES } from './itsm.rules';

// Children read with every reference: notes oldest first, the Keluhan in the order they were linked.
export const WITH_CHILDREN = {
  notes: { orderBy: { id: 'asc' } },
  tickets: { orderBy: [{ linkedAt: 'asc' }, { ticketNumber: 'asc' }] },
} satisfies Prisma.ItsmReferenceInclude;

export type ItsmReferenceRow = Prisma.ItsmReferenceGetPayload<{ include: typeof WITH_CHILDREN }>;

export const ITSM_EXAMPLE = {
  id: '5d1c3f1e-9b0a-4c55-8a37-0c2d8f7e6b21', itsmTicketId: '733905', callType: 'INCIDENT', category: 'Reset Password User', status: 'LOGGED',
  email: 'budi@example.com', customer: { name: 'Budi', phone: '081234567890', idPel: '512345678901' }, ticketNumbers: ['K5422026000007'],
  previousItsmTicketId: null, notes: [], createdAt: '2026-11-23T01:00:00.000Z', updatedAt: '2026-11-23T01:00:00.000Z',
};

export class ItsmCustomerAnswer {
  @Field(string()) name!: string;
  @Field(string()) phone!: string;
  @Field(nullable(string())) idPel!: string | null;
}

export class ItsmNoteAnswer {
  @Field(string()) note!: string;
  @Field(string()) by!: string;
  @Field(time()) at!: string;
}

/** The ITSM reference of API.md (issue 24: the document's ItsmReference is this class). */
@AnswerShape({ name: 'ItsmReference', description: 'A reference to a ticket of the ITSM application (R-A2…R-A5).', example: ITSM_EXAMPLE })
export class ItsmReferenceAnswer {
  @Field(string('Ours, not the ITSM ticket id')) id!: string;
  @Field(string()) itsmTicketId!: string;
  @Field(oneOf(['INCIDENT', 'SERVICE_REQUEST'])) callType!: ItsmCallType;
  @Field(string()) category!: string;
  @Field(oneOf(ITSM_STATUSES)) status!: ItsmStatus;
  @Field(string()) email!: string;
  @Field(inline(ItsmCustomerAnswer)) customer!: ItsmCustomerAnswer;
  @Field(list(string())) ticketNumbers!: string[];
  @Field(nullable(string())) previousItsmTicketId!: string | null;
  @Field(list(inline(ItsmNoteAnswer))) notes!: ItsmNoteAnswer[];
  @Field(time()) createdAt!: string;
  @Field(time()) updatedAt!: string;
}

@AnswerShape(pageShape('ItsmReferencePage', 'ItsmReference', ITSM_EXAMPLE))
export class ItsmReferencePageAnswer extends PageOf(ItsmReferenceAnswer) {}

export const toItsmReferenceView = (r: ItsmReferenceRow): ItsmReferenceAnswer => ({
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
