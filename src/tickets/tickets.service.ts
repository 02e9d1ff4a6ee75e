import { ifMatchPasses, ifNoneMatchMatches, parseIfMatch, ticketEtag } from '../http/preconditions';
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { parseLimit } from '../common/cursor';
import { parseEnumList, parseTimeKeyCursor, TICKET_NUMBER, timeKeyCursor, toPage, UUID } from '../common/list-query';
import { provinceKey } from '../common/provinces';
import { isOffsetDateTime } from '../common/validators';
import { PrismaService, type Tx } from '../database/prisma.service';
import type { Prisma, Ticket } from '../generated/prisma/client';
import { type EscalationCategory, TicketKind, TicketStatus } from '../generated/prisma/enums';
import { invalidField, invalidTransition, notFound, Problem, ProblemCode } from '../http/problem';
import { EscalationService } from '../escalation/escalation.service';
import type { EscalationView } from '../escalation/escalation.view';
import { addMinutes } from '../sla/policy.rules';
import type { CreateTicketDto } from './dto/create-ticket.dto';
import type { StatusMoveDto } from './dto/status-move.dto';
import type { Actor } from './history';
import { isKompor, KOMPOR_SUBTYPE, KOMPOR_TYPE, komporWo, missingKomporFields, NO_ID_PEL_WO, noIdPelKeterangan } from './rules/kompor-induksi.rule';
import { checkUnitMove, isOpen, isReservedCancelReason, OPEN } from './rules/lifecycle.rule';
import { callbackAtError, clientTimeError, eventTimeAfter, visitDateError } from './rules/time-bounds.rule';
import { factsOfMove } from './rules/stored-facts.rule';
import { ALL_UNITS, ChangeMarkers } from './change-markers';
import { withinWork, type IdempotentRequest } from '../http/idempotency';
import { TicketsRepository } from './tickets.repository';
import type { ChangeEvent, InsertedTicket, TicketDraft } from './ticket.types';
import { type CustomerFilterQuery, parseCustomerFilters } from './list-filters';
import { OutageTicketsService } from './outage-tickets.service';
import { eventView, EventView, ticketView, TicketView } from './ticket.view';

/** The list's query (API.md "List"): the dashboard's own filters and R-L1's customer filters. */
export interface ListQuery extends CustomerFilterQuery {
  unitCode?: string;
  status?: string;
  kind?: string;
  open?: string;
  overSla?: string;
  updatedSince?: string;
  outageId?: string;
  limit?: string;
  cursor?: string;
}

export type ListAnswer = { notModified: true; etag: string } | { notModified: false; etag: string; items: TicketView[]; nextCursor: string | null };

const TICKET_STATUSES = Object.values(TicketStatus);

function parseBool(field: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidField(field, `${field} is true or false`);
}

@Injectable()
export class TicketsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: TicketsRepository,
    private readonly escalations: EscalationService,
    private readonly markers: ChangeMarkers,
    private readonly clock: Clock,
    private readonly outageTickets: OutageTicketsService,
  ) {}

  /**
   * A transaction that changes tickets. Every change to tickets in this process goes through here (or is
   * a single statement that marks itself), so the dashboards' change markers are dropped once it commits.
   */
  async write<T>(work: (tx: Tx) => Promise<T>, idempotent?: IdempotentRequest): Promise<T> {
    try {
      // with the request's Idempotency-Key: claimed and answered inside this transaction (src/http/idempotency.ts)
      return await this.prisma.$transaction((tx) => withinWork(tx, idempotent, () => work(tx)));
    } finally {
      this.markers.changed();
    }
  }

  /** After a single statement that changed tickets outside write() (the jobs' set-based batches). */
  changedOutsideWrite(): void {
    this.markers.changed();
  }

  /** A client-supplied time within API.md's bounds, else 400 naming the field. */
  clientTime(field: string, raw: string | undefined, now: Date, notBefore?: Date): Date {
    // by default now, but never before the latest event (a report may be dated up to 2 minutes ahead)
    if (raw === undefined) return notBefore && now < notBefore ? notBefore : now;
    const at = new Date(raw);
    const error = clientTimeError(at, now, notBefore);
    if (error) throw invalidField(field, `${field} ${error}`);
    return at;
  }

  /**
   * `idempotent`: the request's Idempotency-Key, deferred (src/http/idempotency.ts). A plain create
   * stores it with its answer in its one statement; any other work holds it first.
   */
  async create(caller: Caller, dto: CreateTicketDto, idempotent?: IdempotentRequest): Promise<TicketView> {
    const now = this.clock.now();
    const reportedAt = this.clientTime('reportedAt', dto.reportedAt, now);
    if (caller.role === 'mobile' && dto.channel !== 'PLN_MOBILE') throw invalidField('channel', 'the PLN Mobile backend creates tickets on channel PLN_MOBILE');
    if (dto.kind === 'KELUHAN' && dto.woType !== undefined) throw invalidField('woType', 'woType is for Gangguan only');
    if (dto.iml) throw invalidField('iml', 'iml is only for an IML report (woType IML_LISTRIQU or IML_NON_LISTRIQU, R-I2)');
    if (!dto.customer.name) throw invalidField('customer.name', 'customer.name is required');
    if (!dto.customer.phone) throw invalidField('customer.phone', 'customer.phone is required');
    checkAhead(dto, now);
    const kompor = this.komporTreatment(dto);
    const actor: Actor = { sub: caller.sub, role: caller.role };
    const draft: TicketDraft = {
      kind: dto.kind,
      unitCode: dto.unitCode,
      channel: dto.channel,
      customer: { ...dto.customer, province: dto.customer.province ? provinceKey(dto.customer.province) : null },
      problemType: dto.problemType,
      subType: dto.subType ?? null,
      woType: dto.kind === 'GANGGUAN' ? (dto.woType ?? 'AUTODISPATCH') : null,
      description: kompor?.description ?? dto.description,
      urgent: dto.urgent ?? false,
      reportedAt,
      status: dto.issueClosed || kompor?.callback ? 'ISSUE_CLOSED' : 'LAPOR',
      referenceNumber: dto.referenceNumber ?? null,
      callbackAt: dto.callbackAt ? new Date(dto.callbackAt) : null,
      keterangan: kompor?.keterangan ?? dto.keterangan ?? null,
    };
    await this.assertReferenceExists(this.prisma, dto.referenceNumber);
    const outageId = dto.outageId;
    if (outageId) {
      // R-O2: a report naming its outage joins it at once (not the one-statement path of a plain create)
      return this.write(async (tx) => {
        const outage = await this.outageTickets.outageForCreate(tx, outageId, draft);
        const ticket = await this.insert(tx, draft, actor, now);
        return ticketView(await this.outageTickets.attachCreated(tx, outage, ticket, actor, now));
      }, idempotent);
    }
    // The common case is one statement, atomic by itself: no interactive transaction on the burst path,
    // and with a new Idempotency-Key, key and answer in that statement too.
    if (!kompor?.callback) {
      if (idempotent?.deferred) {
        const ticket = await this.repository.insertTicketAnswered(this.prisma.pool, draft, actor, now, idempotent);
        if (ticket) {
          idempotent.answeredInStatement();
          return ticketView(this.checkedInsert(draft, { ticket, unitKnown: true }));
        }
        // the key exists (or the unit does not): replay its answer, or claim it inside the work's transaction
        return this.write(async (tx) => ticketView(await this.insert(tx, draft, actor, now)), idempotent);
      }
      return ticketView(this.checkedInsert(draft, await this.repository.insertTicketAlone(this.prisma.pool, this.prisma, draft, actor, now)));
    }
    return this.write(async (tx) => {
      const created = await this.insert(tx, draft, actor, now);
      // R-K2: the callback is queued with the issue-closed ticket (R-E3); its note ends with the keterangan
      // so whoever calls back knows the complaint
      const { ticket } = await this.escalate(
        tx,
        created,
        {
          category: 'CALLBACK_PELANGGAN',
          note: `${NO_ID_PEL_WO}. Hubungi kembali pelanggan ${created.customerName ?? ''} (${created.customerPhone ?? ''}) untuk melengkapi ID Pel / nomor meter. ${created.keterangan}`,
          callbackAt: created.callbackAt,
        },
        actor,
        reportedAt,
        now,
      );
      return ticketView(ticket);
    }, idempotent);
  }

  /** R-K1…R-K3: an induction-stove complaint's WO, or the no-ID-Pel issue-closed case with its callback. */
  private komporTreatment(dto: CreateTicketDto): { description: string; callback: boolean; keterangan?: string } | null {
    if (!isKompor(dto.kind, dto.subType)) {
      if (dto.komporInduksi) throw invalidField('komporInduksi', `komporInduksi is only for subType ${KOMPOR_SUBTYPE}`);
      return null;
    }
    if (dto.problemType !== KOMPOR_TYPE) throw invalidField('problemType', `an induction-stove complaint is type ${KOMPOR_TYPE} (R-K1)`);
    const id = dto.customer.idPel ?? dto.customer.meterNumber;
    if (!id) {
      if (!dto.callbackAt) throw invalidField('callbackAt', 'without an ID Pel or meter number, callbackAt (when to call the customer back) is required (R-K2)');
      return { description: NO_ID_PEL_WO, callback: true, keterangan: noIdPelKeterangan(dto.description) };
    }
    if (!dto.komporInduksi) throw invalidField('komporInduksi', `komporInduksi is required for subType ${KOMPOR_SUBTYPE} (R-K3)`);
    const missing = missingKomporFields(dto.komporInduksi);
    if (missing.length) throw invalidField(`komporInduksi.${missing[0]}`, `komporInduksi.${missing.join(', ')} required when the installation has no power (R-K3)`);
    return { description: komporWo(id, dto.description, dto.komporInduksi), callback: false };
  }

  /**
   * Creates a ticket inside the caller's transaction: number (R-T2), policy times (R-S1, R-C1, R-J2),
   * stored overSla (R-S2), and its CREATED event (R-T6). Other modules make tickets through this.
   */
  async insert(tx: Tx, draft: TicketDraft, actor: Actor, now: Date): Promise<Ticket> {
    return this.checkedInsert(draft, await this.repository.insertTicket(tx, draft, actor, now));
  }

  private checkedInsert(draft: TicketDraft, { ticket, unitKnown }: InsertedTicket): Ticket {
    this.markers.changed(draft.unitCode); // the statement has committed (or its transaction will, and write() marks it again)
    if (ticket) return ticket;
    if (!unitKnown) throw invalidField('unitCode', `unit ${draft.unitCode} is not registered`);
    throw new Problem(ProblemCode.INTERNAL, `No policy matches ${draft.kind}`); // the seeded <KIND>.*.* was removed
  }

  /** The ticket as the caller may see it: a unit caller sees only its own unit's, as if no other existed (404). */
  private seenBy(caller: Caller | null, number: string, ticket: Ticket | null): Ticket {
    if (!ticket || (caller?.role === 'unit' && ticket.unitCode !== caller.unit)) throw notFound(`Ticket ${number}`);
    return ticket;
  }

  private async visible(tx: Tx, caller: Caller, number: string): Promise<Ticket> {
    return this.seenBy(caller, number, await this.repository.find(tx, number));
  }

  /** Locks the ticket for a change in `tx`; 404 as `visible`. */
  async lockVisible(tx: Tx, caller: Caller | null, number: string): Promise<Ticket> {
    return this.seenBy(caller, number, await this.repository.lock(tx, number));
  }

  /** A create's `referenceNumber` must name an existing ticket (API.md "Create"); tickets are never deleted. */
  async assertReferenceExists(tx: Tx, referenceNumber: string | undefined): Promise<void> {
    if (referenceNumber && !(await this.repository.exists(tx, referenceNumber))) {
      throw invalidField('referenceNumber', `ticket ${referenceNumber} does not exist`);
    }
  }

  /** The ticket as stored, unlocked and whatever its unit (R-R4's chain reads the tickets it links back to). */
  find(tx: Tx, number: string): Promise<Ticket | null> {
    return this.repository.find(tx, number);
  }

  /** The ticket a Lapor Ulang made from `number` (its previousNumber), the first if several. */
  firstSuccessor(tx: Tx, number: string): Promise<string | null> {
    return this.repository.firstSuccessor(tx, number);
  }

  /** The note of the ticket's CREATED event (R-R7a reads what the intake wrote there). */
  createdNote(tx: Tx, number: string): Promise<string | null> {
    return this.repository.createdNote(tx, number);
  }

  async get(caller: Caller, number: string): Promise<TicketView> {
    return ticketView(await this.visible(this.prisma, caller, number));
  }

  async events(caller: Caller, number: string): Promise<EventView[]> {
    await this.visible(this.prisma, caller, number);
    return (await this.repository.events(this.prisma, number)).map(eventView);
  }

  /**
   * Applies a change to a locked ticket: bumps version/updatedAt, keeps overSla true to R-S2 (false once
   * the ticket stops being open), writes the facts of R-M1 a status move makes, and records the events, all in `tx`.
   */
  async change(
    tx: Tx,
    ticket: Ticket,
    data: Prisma.TicketUpdateInput,
    events: ChangeEvent[],
    actor: Actor,
    occurredAt: Date,
    now: Date,
  ): Promise<Ticket> {
    const status = (data.status as TicketStatus | undefined) ?? ticket.status;
    // The ticket is locked by now: a `now` the caller read before waiting for the lock would make
    // updatedAt go backwards against a change that committed meanwhile (issue 15).
    const changedAt = new Date(Math.max(now.getTime(), this.clock.now().getTime()));
    const updated = await this.repository.update(tx, ticket.number, {
      ...data,
      ...factsOfMove(ticket, data.status as TicketStatus | undefined, occurredAt), // R-M1
      ...(isOpen(status) ? {} : { overSla: false }),
      version: { increment: 1 },
      updatedAt: changedAt,
      lastEventAt: occurredAt > ticket.lastEventAt ? occurredAt : ticket.lastEventAt,
    });
    await this.repository.recordEvents(
      tx,
      events.map((e) => ({
        ticketNumber: ticket.number,
        type: e.type,
        fromStatus: e.toStatus ? ticket.status : null,
        toStatus: e.toStatus ?? null,
        note: e.note ?? null,
        actor,
        occurredAt,
        recordedAt: changedAt,
      })),
    );
    return updated;
  }

  /**
   * Queues an escalation about a locked ticket with its ESCALATED event, in `tx` (R-E3, R-T6). The tickets
   * module writes the event so lastEventAt, version and updatedAt stay right; the event is never dated
   * before the ticket's latest one. `along`: the change that caused it, applied in the same update. The
   * ticket as it now is, and the escalation.
   */
  async escalate(
    tx: Tx,
    ticket: Ticket,
    input: { category: EscalationCategory; note: string; callbackAt?: Date | null },
    actor: Actor,
    occurredAt: Date,
    now: Date,
    along: { data: Prisma.TicketUpdateInput; events: ChangeEvent[] } = { data: {}, events: [] },
  ): Promise<{ ticket: Ticket; escalation: EscalationView }> {
    const escalation = await this.escalations.enqueue(tx, { ...input, ticketNumber: ticket.number });
    const at = eventTimeAfter(ticket.lastEventAt, occurredAt, now);
    const events = [...along.events, { type: 'ESCALATED' as const, note: `${input.category}: ${input.note}` }];
    const changed = await this.change(tx, ticket, along.data, events, actor, at, now);
    return { ticket: changed, escalation };
  }

  /** A unit moves its ticket (R-T4, R-T5). */
  async moveStatus(caller: Caller, number: string, dto: StatusMoveDto, ifMatch: string | undefined, idempotent?: IdempotentRequest): Promise<TicketView> {
    const condition = parseIfMatch(ifMatch);
    return this.write(async (tx) => {
      const ticket = await this.lockVisible(tx, caller, number);
      const now = this.clock.now(); // after the lock: the time this change is made at
      if (condition !== undefined && !ifMatchPasses(condition, ticketEtag(ticket.version))) {
        throw new Problem(ProblemCode.PRECONDITION_FAILED, `The ticket is at version ${ticket.version} (ETag ${ticketEtag(ticket.version)}), which If-Match does not name`);
      }
      if (dto.status === 'BATAL' && isReservedCancelReason(dto.reason)) {
        throw invalidField('reason', `${dto.reason?.trim()} is written only by the service (R-I7)`);
      }
      const check = checkUnitMove(ticket.kind, ticket.status, dto.status);
      if (!check.ok) throw invalidTransition(`${ticket.number}: ${check.reason}`);
      const occurredAt = this.clientTime('occurredAt', dto.occurredAt, now, ticket.lastEventAt);
      const data: Prisma.TicketUpdateInput = { status: dto.status };
      if (dto.status === 'SELESAI') {
        // R-T5, R-C1: the confirmation window counts from resolvedAt
        Object.assign(data, { resolvedAt: occurredAt, unitAnswer: dto.unitAnswer, confirmationDeadline: addMinutes(occurredAt, ticket.confirmationWindowMinutes) });
      }
      if (dto.status === 'BATAL') Object.assign(data, { cancelReason: dto.reason, closedAt: occurredAt });
      const note = [dto.note, dto.status === 'SELESAI' ? dto.unitAnswer : undefined, dto.status === 'BATAL' ? dto.reason : undefined].filter(Boolean).join(' — ') || null;
      const updated = await this.change(tx, ticket, data, [{ type: 'STATUS_CHANGED', toStatus: dto.status, note }], caller, occurredAt, now);
      return ticketView(updated);
    }, idempotent);
  }

  async list(caller: Caller, query: ListQuery, ifNoneMatch: string | undefined): Promise<ListAnswer> {
    if (query.unitCode !== undefined && !/^\d{3}$/.test(query.unitCode)) throw invalidField('unitCode', 'unitCode must be 3 digits');
    const unitCode = caller.role === 'unit' ? caller.unit : query.unitCode;
    const statuses = parseEnumList<TicketStatus>('status', query.status, TICKET_STATUSES);
    if (query.kind !== undefined && query.kind !== 'GANGGUAN' && query.kind !== 'KELUHAN') throw invalidField('kind', 'kind is GANGGUAN or KELUHAN');
    const open = parseBool('open', query.open);
    const overSla = parseBool('overSla', query.overSla);
    if (query.updatedSince !== undefined && !isOffsetDateTime(query.updatedSince)) throw invalidField('updatedSince', 'updatedSince must be an ISO 8601 time with an offset');
    const filters = parseCustomerFilters(query); // R-L1
    if (query.outageId !== undefined && !UUID.test(query.outageId)) throw invalidField('outageId', 'outageId must be an outage id (a UUID)');
    const limit = parseLimit(query.limit);
    const cursor = parseTimeKeyCursor(query.cursor, TICKET_NUMBER);

    const marker = await this.markers.get(unitCode ?? ALL_UNITS, () => this.repository.changeMarker(this.prisma.pool, unitCode));
    const etag = `W/"${createHash('sha1').update(`${marker}|${unitCode ?? ALL_UNITS}|${JSON.stringify(query)}`).digest('base64url')}"`;
    if (ifNoneMatchMatches(ifNoneMatch, etag)) return { notModified: true, etag };

    const and: Prisma.TicketWhereInput[] = [];
    if (unitCode) and.push({ unitCode });
    if (statuses) and.push({ status: { in: statuses } });
    if (query.kind) and.push({ kind: query.kind as TicketKind });
    if (query.outageId) and.push({ outageId: query.outageId });
    if (open !== undefined) and.push({ status: open ? { in: [...OPEN] } : { notIn: [...OPEN] } });
    if (overSla !== undefined) and.push({ overSla });
    if (query.updatedSince) and.push({ updatedAt: { gte: new Date(query.updatedSince) } });
    and.push(...filters);
    if (cursor) and.push({ OR: [{ updatedAt: { gt: cursor.at } }, { updatedAt: cursor.at, number: { gt: cursor.key } }] });
    const rows = await this.repository.page(this.prisma, and, limit);
    return { notModified: false, etag, ...toPage(rows, limit, ticketView, (last) => timeKeyCursor(last.updatedAt, last.number)) };
  }
}

/** Issue 14 point 11: callbackAt and visit dates within their bounds (time-bounds.rule.ts), else 400 naming the field. */
export function checkAhead(fields: { callbackAt?: string | null; komporInduksi?: { preferredVisitDate?: string }; iml?: { preferredVisitDate?: string }; preferredVisitDate?: string }, now: Date): void {
  const callbackError = fields.callbackAt ? callbackAtError(new Date(fields.callbackAt), now) : null;
  if (callbackError) throw invalidField('callbackAt', `callbackAt ${callbackError}`);
  const dates: [string, string | undefined][] = [
    ['komporInduksi.preferredVisitDate', fields.komporInduksi?.preferredVisitDate],
    ['iml.preferredVisitDate', fields.iml?.preferredVisitDate],
    ['preferredVisitDate', fields.preferredVisitDate],
  ];
  for (const [field, date] of dates) {
    const error = date ? visitDateError(date, now) : null;
    if (error) throw invalidField(field, `${field} ${error}`);
  }
}
