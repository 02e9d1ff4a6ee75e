import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/prisma.service';
import type { Policy, Prisma } from '../generated/prisma/client';
import type { TicketKind } from '../generated/prisma/enums';

// The policies table; no rules here (resolvePolicy is in policy.rules.ts).
@Injectable()
export class PoliciesRepository {
  list(db: Tx): Promise<Policy[]> {
    return db.policy.findMany({ orderBy: { id: 'asc' } });
  }

  ofKind(db: Tx, kind: TicketKind): Promise<Policy[]> {
    return db.policy.findMany({ where: { kind } });
  }

  find(db: Tx, id: string): Promise<Policy | null> {
    return db.policy.findUnique({ where: { id } });
  }

  put(db: Tx, id: string, create: Prisma.PolicyCreateInput, update: Prisma.PolicyUpdateInput): Promise<Policy> {
    return db.policy.upsert({ where: { id }, create, update });
  }
}
