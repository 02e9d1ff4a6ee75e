import { Injectable } from '@nestjs/common';
import type { Tx } from '../database/prisma.service';
import type { TicketStatus } from '../generated/prisma/enums';

/** What the tickets need to know of an outage a ticket joins (R-O2). */
export interface AttachableOutage {
  id: string;
  unitCode: string;
  status: TicketStatus;
  title: string;
}

/** One move of an outage being carried to its tickets (R-O3): a status move, or an etr change. */
export interface MoveToCarry {
  outageId: string;
  kind: 'STATUS' | 'ETR';
  toStatus: TicketStatus | null;
  title: string;
  unitAnswer: string | null;
  reason: string | null;
  note: string | null;
  actorSub: string;
  actorRole: string;
  actorName: string | null;
  occurredAt: Date;
  cursor: string;
}

export interface OutageDirectory {
  /** The outage, its row share-locked in `tx` (no status move between reading and attaching), or null. */
  lockForAttach(tx: Tx, id: string): Promise<AttachableOutage | null>;
}

/**
 * The outages module (src/outages), which builds on the tickets module, registers itself here, so that
 * a ticket create naming an `outageId` can reach it without the two modules importing each other.
 */
@Injectable()
export class OutagePort implements OutageDirectory {
  private directory: OutageDirectory | null = null;

  register(directory: OutageDirectory): void {
    this.directory = directory;
  }

  lockForAttach(tx: Tx, id: string): Promise<AttachableOutage | null> {
    if (!this.directory) throw new Error('the outages module is not loaded');
    return this.directory.lockForAttach(tx, id);
  }
}
