import { AnswerShape, Field, nullable, oneOf, PageOf, pageShape, string, time } from '../common/answer-shape';
import { iso } from '../common/iso';
import type { Escalation, EscalationCategory, EscalationStatus } from '../generated/prisma/client';
import { ESCALATION_CATEGORIES } from './escalation.rules';

export const ESCALATION_EXAMPLE = {
  id: '0b6f6a52-6c1f-4a8e-9d51-3f0f3c1f2a10', category: 'LAPOR_ULANG', status: 'OPEN', ticketNumber: 'G5422026000124',
  note: 'Lapor ulang ketiga', callbackAt: null, createdAt: '2026-11-23T05:00:00.000Z', claimedBy: null, claimedAt: null, leaseUntil: null, doneAt: null, doneNote: null,
};

/** The Escalation of API.md (issue 24: the document's Escalation is this class). */
@AnswerShape({ name: 'Escalation', description: 'An item of the back-office queue.', example: ESCALATION_EXAMPLE })
export class EscalationAnswer {
  @Field(string()) id!: string;
  @Field(oneOf(ESCALATION_CATEGORIES)) category!: EscalationCategory;
  @Field(oneOf(['OPEN', 'CLAIMED', 'DONE'])) status!: EscalationStatus;
  @Field(nullable(string())) ticketNumber!: string | null;
  @Field(string()) note!: string;
  @Field(nullable(time())) callbackAt!: string | null;
  @Field(time()) createdAt!: string;
  @Field(nullable(string())) claimedBy!: string | null;
  @Field(nullable(time())) claimedAt!: string | null;
  @Field(nullable(time())) leaseUntil!: string | null;
  @Field(nullable(time())) doneAt!: string | null;
  @Field(nullable(string())) doneNote!: string | null;
}

@AnswerShape(pageShape('EscalationPage', 'Escalation', ESCALATION_EXAMPLE))
export class EscalationPageAnswer extends PageOf(EscalationAnswer) {}

export const toEscalationView = (e: Escalation): EscalationAnswer => ({
  id: e.id,
  category: e.category,
  status: e.status,
  ticketNumber: e.ticketNumber,
  note: e.note,
  callbackAt: iso(e.callbackAt),
  createdAt: e.createdAt.toISOString(),
  claimedBy: e.claimedBy,
  claimedAt: iso(e.claimedAt),
  leaseUntil: iso(e.leaseUntil),
  doneAt: iso(e.doneAt),
  doneNote: e.doneNote,
});
