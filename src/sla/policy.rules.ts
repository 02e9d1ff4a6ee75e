import { TicketKind } from '../generated/prisma/enums';
import type { PolicyAnswer } from './policy.view';

// R-S1, R-C1, R-J2 settings per classification. API.md: id `<KIND>.<problemType or *>.<subType or *>`;
// a ticket takes the most specific matching policy, a matching subType outranking a matching problemType.
/** A policy as the rules read it: the answer's shape (src/sla/policy.view.ts). */
export type PolicyView = PolicyAnswer;

export interface Classification {
  kind: TicketKind;
  problemType: string | null;
  subType: string | null;
}

const PART = /^(\*|[A-Z0-9_]{1,64})$/;

export function parsePolicyId(id: string): Classification | null {
  const parts = id.split('.');
  if (parts.length !== 3) return null;
  const [kind, problemType, subType] = parts;
  if (kind !== 'GANGGUAN' && kind !== 'KELUHAN') return null;
  if (!PART.test(problemType) || !PART.test(subType)) return null;
  return { kind, problemType: problemType === '*' ? null : problemType, subType: subType === '*' ? null : subType };
}

function specificity(policy: Classification, ticket: Classification): number {
  if (policy.kind !== ticket.kind) return -1;
  if (policy.problemType !== null && policy.problemType !== ticket.problemType) return -1;
  if (policy.subType !== null && policy.subType !== ticket.subType) return -1;
  return (policy.subType !== null ? 2 : 0) + (policy.problemType !== null ? 1 : 0);
}

/** The most specific policy for a classification (R-S1); undefined only if no `<KIND>.*.*` exists. */
export function resolvePolicy<P extends Classification>(policies: readonly P[], ticket: Classification): P | undefined {
  let best: P | undefined;
  let bestScore = -1;
  for (const policy of policies) {
    const score = specificity(policy, ticket);
    if (score > bestScore) {
      best = policy;
      bestScore = score;
    }
  }
  return best;
}

export const addMinutes = (at: Date, minutes: number) => new Date(at.getTime() + minutes * 60_000);
