import { iso } from '../common/iso';
import type { Outage } from '../generated/prisma/client';
import type { TicketStatus } from '../generated/prisma/enums';

/** R-O3: the latest status move and how far its propagation got. */
export interface PropagationView {
  status: TicketStatus;
  reached: number;
  pending: number;
}

export interface OutageFacts {
  ticketCount: number;
  openTicketCount: number;
  lastPropagation: PropagationView;
}

// Rows become API.md's Outage shape here, and nowhere else. `cancelReason` is an addition (R-O1 BATAL).
export function outageView(o: Outage, facts: OutageFacts) {
  return {
    id: o.id,
    unitCode: o.unitCode,
    title: o.title,
    cause: o.cause,
    area: o.area,
    etr: iso(o.etr),
    status: o.status,
    unitAnswer: o.unitAnswer,
    cancelReason: o.cancelReason,
    ticketCount: facts.ticketCount,
    openTicketCount: facts.openTicketCount,
    lastPropagation: facts.lastPropagation,
    version: o.version,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
    closedAt: iso(o.closedAt),
  };
}
export type OutageView = ReturnType<typeof outageView>;

/** What an attached ticket's answer shows of its outage (R-O2). */
export const outageSummary = (o: Pick<Outage, 'id' | 'title' | 'status' | 'etr'>) => ({ id: o.id, title: o.title, status: o.status as string, etr: iso(o.etr) });
