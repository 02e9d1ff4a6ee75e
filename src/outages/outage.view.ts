import { AnswerShape, Field, inline, integer, matching, nullable, oneOf, PageOf, pageShape, string, time } from '../common/answer-shape';
import { iso } from '../common/iso';
import type { Outage } from '../generated/prisma/client';
import type { TicketStatus } from '../generated/prisma/enums';
import { type OutageSummary, TICKET_STATUSES } from '../tickets/ticket.view';

/** R-O3: the latest status move and how far its propagation got. */
export class PropagationAnswer {
  @Field(oneOf(TICKET_STATUSES)) status!: TicketStatus;
  @Field(integer('Tickets already moved')) reached!: number;
  @Field(integer('Tickets still to move')) pending!: number;
}

export interface OutageFacts {
  ticketCount: number;
  openTicketCount: number;
  lastPropagation: PropagationAnswer;
}

const OUTAGE_EXAMPLE = {
  id: '8bbba4d0-0746-4848-8576-25c6ad8494d8', unitCode: '542', title: 'Penyulang KBN-07 trip', cause: 'Pohon tumbang', area: 'Desa Sukamaju, Sukamanah',
  etr: '2026-11-23T08:00:00.000Z', status: 'PENUGASAN', unitAnswer: null, cancelReason: null, ticketCount: 12, openTicketCount: 12,
  lastPropagation: { status: 'PENUGASAN', reached: 12, pending: 0 }, version: 1, createdAt: '2026-11-23T01:00:00.000Z', updatedAt: '2026-11-23T01:00:00.000Z', closedAt: null,
};

/** API.md's Outage (issue 24: the document's Outage is this class). */
@AnswerShape({ name: 'Outage', description: 'A mass outage of a unit (API.md Outage, R-O1).', example: OUTAGE_EXAMPLE })
export class OutageAnswer {
  @Field(string()) id!: string;
  @Field(matching('^\\d{3}$')) unitCode!: string;
  @Field(string()) title!: string;
  @Field(string()) cause!: string;
  @Field(string()) area!: string;
  @Field(nullable(time('Estimated time of restoration'))) etr!: string | null;
  @Field(oneOf(TICKET_STATUSES)) status!: TicketStatus;
  @Field(nullable(string('Set when the outage reached SELESAI'))) unitAnswer!: string | null;
  @Field(nullable(string('Set when the outage was cancelled (BATAL); an addition to API.md'))) cancelReason!: string | null;
  @Field(integer('Tickets that ever joined')) ticketCount!: number;
  @Field(integer('Attached tickets not yet terminal')) openTicketCount!: number;
  @Field(inline(PropagationAnswer, { description: 'The latest status move and how far its propagation got (R-O3)' })) lastPropagation!: PropagationAnswer;
  @Field(integer('Raised by every change; the ETag and If-Match value')) version!: number;
  @Field(time()) createdAt!: string;
  @Field(time()) updatedAt!: string;
  @Field(nullable(time())) closedAt!: string | null;
}

@AnswerShape(pageShape('OutagePage', 'Outage', OUTAGE_EXAMPLE))
export class OutagePageAnswer extends PageOf(OutageAnswer) {}

// Rows become API.md's Outage shape here, and nowhere else. `cancelReason` is an addition (R-O1 BATAL).
export function outageView(o: Outage, facts: OutageFacts): OutageAnswer {
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

/** What an attached ticket's answer shows of its outage (R-O2). */
export const outageSummary = (o: Pick<Outage, 'id' | 'title' | 'status' | 'etr'>): OutageSummary => ({ id: o.id, title: o.title, status: o.status as string, etr: iso(o.etr) });
