import { AnswerShape, boolean, Field, integer, list, nullable, oneOf, ref, string } from '../common/answer-shape';
import type { TicketKind } from '../generated/prisma/enums';

// API.md's Policy; the class is the document's Policy (issue 24) and the type the rules and service pass on.

const POLICY_EXAMPLE = { id: 'GANGGUAN.*.*', kind: 'GANGGUAN', problemType: null, subType: null, slaMinutes: 180, confirmationWindowMinutes: 1440, autoTransferMinutes: null, autoTransferProblemType: null, alwaysUrgent: false };

@AnswerShape({ name: 'Policy', description: 'SLA and confirmation settings of a classification (R-S1).', example: POLICY_EXAMPLE })
export class PolicyAnswer {
  @Field(string('<KIND>.<problemType or *>.<subType or *>')) id!: string;
  @Field(oneOf(['GANGGUAN', 'KELUHAN'])) kind!: TicketKind;
  @Field(nullable(string())) problemType!: string | null;
  @Field(nullable(string())) subType!: string | null;
  @Field(integer()) slaMinutes!: number;
  @Field(integer()) confirmationWindowMinutes!: number;
  @Field(nullable(integer('null: never'))) autoTransferMinutes!: number | null;
  /** R-J2: the problem type of the Gangguan an auto-transfer creates */
  @Field(nullable(string('R-J2'))) autoTransferProblemType!: string | null;
  @Field(boolean()) alwaysUrgent!: boolean;
}

@AnswerShape({ name: 'PolicyList', description: 'Every policy.', example: { items: [POLICY_EXAMPLE] } })
export class PolicyListAnswer {
  @Field(list(ref(PolicyAnswer))) items!: PolicyAnswer[];
}
