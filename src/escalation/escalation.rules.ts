import { EscalationCategory, EscalationStatus } from '../generated/prisma/enums';

export const ESCALATION_CATEGORIES = Object.values(EscalationCategory);
export const ESCALATION_STATUSES = Object.values(EscalationStatus);

export type FinishRefusal = 'NOT_CLAIMED' | 'NOT_THE_CLAIMER' | 'LEASE_EXPIRED';

interface Claim {
  status: EscalationStatus;
  claimedBy: string | null;
  leaseUntil: Date | null;
}

// R-E2: only the current claimer finishes, and only while the lease holds; an expired lease is no
// longer a claim even before the R-J4 sweep has returned the item to OPEN.
export function finishRefusal(claim: Claim, sub: string, now: Date): FinishRefusal | null {
  if (claim.status !== EscalationStatus.CLAIMED) return 'NOT_CLAIMED';
  if (claim.claimedBy !== sub) return 'NOT_THE_CLAIMER';
  if (!claim.leaseUntil || claim.leaseUntil.getTime() <= now.getTime()) return 'LEASE_EXPIRED';
  return null;
}
