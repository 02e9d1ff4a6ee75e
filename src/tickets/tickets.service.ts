import { ifMatchPasses, ticketEtag, type NotModifiedTest, type TagList } from '../http/preconditions';
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { parseLimit } from '../common/cursor';
import { parseEnumList, parseTimeKeyCursor, TICKET_NUMBER, timeKeyCursor, toPage, UUID } from '../common/list-query';
import { isOffsetDateTime } from '../common/validators';
import { LocalCommits } from '../database/commits';
import { PrismaService, type Tx } from '../database/prisma.service';
import { ReadRouter } from '../database/read-router';
import type { Prisma, Ticket } from '../generated/prisma/client';
import { type EscalationCategory, TicketKind, TicketStatus } from '../generated/prisma/enums';
import { EscalationService } from '../escalation/escalation.service';
import type { EscalationAnswer } from '../escalation/escalation.view';
import { addMinutes } from '../sla/policy.rules';
import type { StatusMoveDto } from './dto/status-move.dto';
import type { Actor, NewEvent } from './history';
import type { ChangeGuard } from './sql/change-ticket.sql';
import { TICKET_VIEW } from './sql/insert-ticket.sql';
import { checkUnitMove, isOpen, isReservedCancelReason, OPEN } from './rules/lifecycle.rule';
import { callbackAtError, clientTimeError, eventTimeAfter, visitDateError } from './rules/time-bounds.rule';
import { factsOfMove } from './rules/stored-facts.rule';
import { ChangeMarkers } from './change-markers';
import { withinWork, type IdempotentRequest } from '../http/idempotency';
import type { ClientGone } from '../http/client-gone';
import { TicketsRepository } from './tickets.repository';
import type { ChangeEvent, TicketDraft } from './ticket.types';
import { UnitsService } from '../units/units';
import { narrowIn, UnitScopes } from '../units/unit-scopes';
import { ANY_UNIT_CODE, type UnitTree } from '../units/unit-tree.rules';
import { type CustomerFilterQuery, parseCustomerFilters } from './list-filters';
import { OutageTicketsService } from './outage-tickets.service';
import { eventView, EventAnswer, ticketView, TicketAnswer } from './ticket.view';
import { invalidInput } from '../common/domain.exception';
import { TicketException, TicketErrorCode } from './ticket.exception';
import { Metrics } from '../metrics/metrics';

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

export type ListAnswer = { notModified: true; etag: string } | { notModified: false; etag: string; items: TicketAnswer[]; nextCursor: string | null };

const TICKET_STATUSES = Object.values(TicketStatus);
const JSON_CONTENT_TYPE = 'application/json; charset=utf-8';

function parseBool(field: string, raw: string | undefined): boolean | undefined {
  if (raw === undefined) return undefined;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw invalidInput(field, `${field} is true or false`);
}

@Injectable()
export class TicketsService {
  /** listEtagNow's last answer per poller (a verified caller); gone with the caller when its token is forgotten. */
  private readonly polls = new WeakMap<object, { tree: UnitTree; url: string; scopeKey: string; marker: string; etag: string }>();

  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: TicketsRepository,
    private readonly escalations: EscalationService,
    private readonly markers: ChangeMarkers,
    private readonly clock: Clock,
    private readonly outageTickets: OutageTicketsService,
    private readonly units: UnitsService,
    private readonly scopes: UnitScopes,
    private readonly metrics: Metrics,
    private readonly reads: ReadRouter,
    private readonly commits: LocalCommits,
  ) {}

  /**
   * A transaction that changes tickets. Every change to tickets in this process goes through here (or is
   * a single statement that marks itself), so the dashboards' change markers are dropped once it commits.
   * `lockFirst`: with an Idempotency-Key, the ticket the work changes is locked before the key is claimed,
   * the order of changeAlone's statement (ticket, then key), so that the two never wait for each other in a
   * cycle (two requests with one key: one in its statement, the other fallen back to this transaction).
   */
  async write<T>(work: (tx: Tx) => Promise<T>, idempotent?: IdempotentRequest, lockFirst?: (tx: Tx) => Promise<unknown>): Promise<T> {
    try {
      // with the request's Idempotency-Key: claimed and answered inside this transaction (src/http/idempotency.ts)
      return await this.prisma.$transaction(async (tx) => {
        if (lockFirst && idempotent) await lockFirst(tx);
        return withinWork(tx, idempotent, () => work(tx));
      });
    } finally {
      this.committed();
    }
  }

  /** After a single statement that changed tickets outside write() (the jobs' set-based batches). */
  changedOutsideWrite(): void {
    this.committed();
  }

  /** Tickets were written and committed: the list's markers of `unitCode` (else every scope) and this replica's dispatcher hear of it. */
  private committed(unitCode?: string): void {
    this.markers.changed(unitCode);
    this.commits.ticketsCommitted();
  }

  /** A client-supplied time within API.md's bounds, else 400 naming the field. */
  clientTime(field: string, raw: string | undefined, now: Date, notBefore?: Date): Date {
    // by default now, but never before the latest event (a report may be dated up to 2 minutes ahead)
    if (raw === undefined) return notBefore && now < notBefore ? notBefore : now;
    const at = new Date(raw);
    const error = clientTimeError(at, now, notBefore);
    if (error) throw invalidInput(field, `${field} ${error}`);
    return at;
  }

  /**
   * Creates a ticket from an intake's draft (src/intake builds and checks it). `outageId`: R-O2, the report
   * joins that outage at once. `idempotent`: the request's Idempotency-Key, deferred
   * (src/http/idempotency.ts); a plain create stores it with its answer in its one statement, any other
   * work holds it first.
   */
  async create(draft: TicketDraft, actor: Actor, now: Date, outageId: string | undefined, idempotent: IdempotentRequest | undefined): Promise<TicketAnswer> {
    await this.assertReferenceExists(draft.referenceNumber);
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
    if (idempotent?.deferred) {
      const ticket = await this.repository.insertTicketAnswered(this.prisma.pool, draft, actor, now, idempotent);
      if (ticket) {
        idempotent.answeredInStatement();
        return ticketView(this.inserted(draft, ticket));
      }
      // the key exists (or the unit does not): replay its answer, or claim it inside the work's transaction
      return this.write(async (tx) => ticketView(await this.insert(tx, draft, actor, now)), idempotent);
    }
    const ticket = await this.repository.insertTicketAlone(this.prisma.pool, draft, actor, now);
    return ticketView(ticket ? this.inserted(draft, ticket) : await this.notInserted(draft, this.prisma));
  }

  /**
   * Creates a ticket inside the caller's transaction: number (R-T2), policy times (R-S1, R-C1, R-J2),
   * stored overSla (R-S2), and its CREATED event (R-T6). Other modules make tickets through this.
   */
  async insert(tx: Tx, draft: TicketDraft, actor: Actor, now: Date): Promise<Ticket> {
    const ticket = await this.repository.insertTicket(tx, draft, actor, now);
    return ticket ? this.inserted(draft, ticket) : this.notInserted(draft, tx);
  }

  private inserted(draft: TicketDraft, ticket: Ticket): Ticket {
    this.committed(draft.unitCode); // the statement has committed (or its transaction will, and write() marks it again)
    this.metrics.ticketsReceived.inc({ kind: draft.kind, unit: draft.unitCode });
    return ticket;
  }

  /** Why the create statement inserted nothing: the unit is not registered, or no policy matches. */
  private async notInserted(draft: TicketDraft, tx: Tx): Promise<never> {
    this.markers.changed(draft.unitCode);
    const unit = await this.units.find(draft.unitCode, tx);
    if (!unit) throw invalidInput('unitCode', `unit ${draft.unitCode} is not registered`);
    if (unit.level !== 'ULP') throw invalidInput('unitCode', `unit ${draft.unitCode} is a ${unit.level}; tickets belong to ULPs (R-H1)`);
    throw new TicketException(TicketErrorCode.NO_MATCHING_POLICY, `No policy matches ${draft.kind}`); // the seeded <KIND>.*.* was removed
  }

  /** The ticket as the caller may see it: a unit caller sees only its subtree's (R-H2), as if no other existed (404). */
  private async seenBy(caller: Caller | null, number: string, ticket: Ticket | null): Promise<Ticket> {
    if (!ticket || !(await this.scopes.covers(caller, ticket.unitCode))) throw new TicketException(TicketErrorCode.NOT_FOUND, `Ticket ${number} not found`);
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
  async assertReferenceExists(referenceNumber: string | null | undefined, tx: Tx = this.prisma): Promise<void> {
    if (referenceNumber && !(await this.repository.exists(tx, referenceNumber))) {
      throw invalidInput('referenceNumber', `ticket ${referenceNumber} does not exist`);
    }
  }

  /** The ticket as stored, unlocked and whatever its unit (R-R4's chain reads the tickets it links back to). */
  find(tx: Tx, number: string): Promise<Ticket | null> {
    return this.repository.find(tx, number);
  }

  /** The ticket as committed, outside any transaction (a re-report's chain, read before a changeAlone). */
  findCommitted(number: string): Promise<Ticket | null> {
    return this.repository.find(this.prisma, number);
  }

  /** The ticket a Lapor Ulang made from `number` (its previousNumber), the first if several. */
  firstSuccessor(tx: Tx, number: string): Promise<string | null> {
    return this.repository.firstSuccessor(tx, number);
  }

  /** The note of the ticket's CREATED event (R-R7a reads what the intake wrote there). */
  createdNote(tx: Tx, number: string): Promise<string | null> {
    return this.repository.createdNote(tx, number);
  }

  async get(caller: Caller, number: string): Promise<TicketAnswer> {
    return ticketView(await this.visible(this.prisma, caller, number));
  }

  async events(caller: Caller, number: string): Promise<EventAnswer[]> {
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
    const change = this.changeOf(ticket, data, events, actor, occurredAt, now);
    return this.repository.change(tx, ticket.number, change.data, change.events);
  }

  /**
   * `change` as one statement on its own, no transaction (issue 30): for a ticket read unlocked
   * (readForChange), applied only while the ticket is still at the version read, so it does what `change`
   * would have done under the lock; with `answer`, the request's Idempotency-Key is stored in the same
   * statement (only a key never seen). The ticket as it now is, or null when nothing was written: the
   * ticket changed meanwhile, the key was seen, or `data` is not plain — the caller then runs its locked path.
   */
  async changeAlone(
    ticket: Ticket,
    data: Prisma.TicketUpdateInput,
    events: ChangeEvent[],
    actor: Actor,
    occurredAt: Date,
    now: Date,
    answer?: { request: IdempotentRequest; status: number; view: string; treatment?: string },
  ): Promise<Ticket | null> {
    const change = this.changeOf(ticket, data, events, actor, occurredAt, now);
    const guard: ChangeGuard = { version: ticket.version };
    if (answer) {
      const { request, status, view, treatment } = answer;
      guard.answer = { key: request.key, fingerprint: request.fingerprint, now: change.changedAt, status, view, treatment, contentType: JSON_CONTENT_TYPE };
    }
    let changed: Ticket | null;
    try {
      changed = await this.repository.changeAlone(this.prisma.pool, ticket.number, change.data, change.events, guard);
    } catch (error) {
      this.committed(ticket.unitCode); // whether it committed is not known: the markers are dropped as write() does
      throw error;
    }
    if (changed) {
      answer?.request.answeredInStatement();
      this.committed(ticket.unitCode);
    }
    return changed;
  }

  /**
   * The ticket as committed, unlocked, as the caller may see it (404 as `lockVisible`), with its unit's
   * time zone: what a change by `changeAlone` checks its rules against.
   */
  async readForChange(caller: Caller, number: string): Promise<{ ticket: Ticket; timeZone: string | null }> {
    const found = await this.repository.readForChange(this.prisma.pool, number);
    await this.seenBy(caller, number, found?.ticket ?? null);
    return found!;
  }

  /** The update and events of a change, as `change` and `changeAlone` write them. */
  private changeOf(ticket: Ticket, data: Prisma.TicketUpdateInput, events: ChangeEvent[], actor: Actor, occurredAt: Date, now: Date) {
    const status = (data.status as TicketStatus | undefined) ?? ticket.status;
    // The ticket is locked by now (or the change is guarded by the version read): a `now` the caller read
    // before waiting for the lock would make updatedAt go backwards against a change that committed
    // meanwhile (issue 15).
    const changedAt = new Date(Math.max(now.getTime(), this.clock.now().getTime()));
    return {
      changedAt,
      data: {
        ...data,
        ...factsOfMove(ticket, data.status as TicketStatus | undefined, occurredAt), // R-M1
        ...(isOpen(status) ? {} : { overSla: false }),
        version: { increment: 1 },
        updatedAt: changedAt,
        lastEventAt: occurredAt > ticket.lastEventAt ? occurredAt : ticket.lastEventAt,
      } satisfies Prisma.TicketUpdateInput,
      events: events.map(
        (e): NewEvent => ({
          ticketNumber: ticket.number,
          type: e.type,
          fromStatus: e.toStatus ? ticket.status : null,
          toStatus: e.toStatus ?? null,
          note: e.note ?? null,
          actor,
          occurredAt,
          recordedAt: changedAt,
        }),
      ),
    };
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
  ): Promise<{ ticket: Ticket; escalation: EscalationAnswer }> {
    const escalation = await this.escalations.enqueue(tx, { ...input, ticketNumber: ticket.number });
    const at = eventTimeAfter(ticket.lastEventAt, occurredAt, now);
    const events = [...along.events, { type: 'ESCALATED' as const, note: `${input.category}: ${input.note}` }];
    const changed = await this.change(tx, ticket, along.data, events, actor, at, now);
    return { ticket: changed, escalation };
  }

  /**
   * A unit moves its ticket (R-T4, R-T5); `condition`: the request's If-Match, parsed at the edge (@IfMatch).
   * Issue 30: first as one statement guarded by the version the rules were checked against (with the
   * Idempotency-Key, if any, stored in it); should the ticket have changed meanwhile (a concurrent move),
   * or the key been seen, under the row lock in a transaction as before, which answers as API.md says.
   */
  async moveStatus(caller: Caller, number: string, dto: StatusMoveDto, condition: TagList | undefined, idempotent?: IdempotentRequest): Promise<TicketAnswer> {
    if (!idempotent || idempotent.deferred) {
      const { ticket } = await this.readForChange(caller, number);
      // a replay renders a stored ticket without its outage's summary: an attached ticket's key is kept the slow way
      if (!idempotent || ticket.outageId === null) {
        const now = this.clock.now();
        const move = this.moveOf(ticket, dto, condition, now);
        const answer = idempotent && { request: idempotent, status: 200, view: TICKET_VIEW };
        const moved = await this.changeAlone(ticket, move.data, move.events, caller, move.occurredAt, now, answer);
        if (moved) return ticketView(moved);
      }
    }
    const lock = (tx: Tx) => this.lockVisible(tx, caller, number);
    return this.write(
      async (tx) => {
        const ticket = await lock(tx);
        const now = this.clock.now(); // after the lock: the time this change is made at
        const move = this.moveOf(ticket, dto, condition, now);
        return ticketView(await this.change(tx, ticket, move.data, move.events, caller, move.occurredAt, now));
      },
      idempotent,
      lock,
    );
  }

  /** The change a unit's move makes to `ticket` as it is at `now`, or the refusal (412 If-Match, 400, 409). */
  private moveOf(ticket: Ticket, dto: StatusMoveDto, condition: TagList | undefined, now: Date): { data: Prisma.TicketUpdateInput; events: ChangeEvent[]; occurredAt: Date } {
    if (condition !== undefined && !ifMatchPasses(condition, ticketEtag(ticket.version))) {
      throw new TicketException(TicketErrorCode.VERSION_MISMATCH, `The ticket is at version ${ticket.version} (ETag ${ticketEtag(ticket.version)}), which If-Match does not name`);
    }
    if (dto.status === 'BATAL' && isReservedCancelReason(dto.reason)) {
      throw invalidInput('reason', `${dto.reason?.trim()} is written only by the service (R-I7)`);
    }
    const check = checkUnitMove(ticket.kind, ticket.status, dto.status);
    if (!check.ok) throw new TicketException(TicketErrorCode.INVALID_TRANSITION, `${ticket.number}: ${check.reason}`);
    const occurredAt = this.clientTime('occurredAt', dto.occurredAt, now, ticket.lastEventAt);
    const data: Prisma.TicketUpdateInput = { status: dto.status };
    if (dto.status === 'SELESAI') {
      // R-T5, R-C1: the confirmation window counts from resolvedAt
      Object.assign(data, { resolvedAt: occurredAt, unitAnswer: dto.unitAnswer, confirmationDeadline: addMinutes(occurredAt, ticket.confirmationWindowMinutes) });
    }
    if (dto.status === 'BATAL') Object.assign(data, { cancelReason: dto.reason, closedAt: occurredAt });
    const note = [dto.note, dto.status === 'SELESAI' ? dto.unitAnswer : undefined, dto.status === 'BATAL' ? dto.reason : undefined].filter(Boolean).join(' — ') || null;
    return { data, events: [{ type: 'STATUS_CHANGED', toStatus: dto.status, note }], occurredAt };
  }

  /**
   * The list's ETag for this caller and query as sent: the change marker of the caller's scope (a unit,
   * or all units), the scope and the query. The same for the full answer and for the 304 fast path
   * (list-not-modified.ts), so both agree on when nothing changed.
   */
  async listEtag(caller: Caller, query: ListQuery, client?: ClientGone): Promise<string> {
    return (await this.listScope(caller, query, client)).etag;
  }

  /**
   * listEtag when the unit tree and the scope's marker are both in memory, without waiting (the list's
   * 304, issue 30: its promises were a good part of a 304's CPU); else undefined. `poller`: the verified
   * caller of the token (the same object while its token is remembered), `url` the request's as sent. A
   * dashboard asks the same URL again and again: while the tree is the same object and the scope's marker
   * has not changed, its last poll's tag is the answer, with no scope narrowed, no query serialised and no
   * tag looked up (issue 25). Only `url` and the tree decide the scope and query, so nothing else can differ.
   */
  listEtagNow(poller: object, url: string, caller: Caller, query: ListQuery): string | undefined {
    const tree = this.scopes.currentNow();
    if (!tree) return undefined;
    const last = this.polls.get(poller);
    if (last !== undefined && last.tree === tree && last.url === url && this.markers.peek(last.scopeKey) === last.marker) return last.etag;
    const { scope } = narrowIn(tree, caller, query.unitCode);
    const marker = this.markers.peek(scope.key);
    if (marker === undefined) return undefined;
    const etag = listEtagOf(marker, scope.key, query);
    this.polls.set(poller, { tree, url, scopeKey: scope.key, marker, etag });
    return etag;
  }

  /**
   * R-H2, R-H3: the ULPs a list covers — those beneath `unitCode` (any level), within the caller's
   * scope; a unit caller naming a unit outside its subtree gets its own scope, as it got its own unit
   * before — and the list's ETag over them.
   */
  private async listScope(caller: Caller, query: ListQuery, client?: ClientGone): Promise<{ units: readonly string[] | null; key: string; etag: string }> {
    const { scope } = await this.scopes.narrowed(caller, query.unitCode);
    const marker = await this.markers.get(scope, (signal) => this.repository.changeMarker(this.prisma.pool, scope.units, signal), client);
    return { units: scope.units, key: scope.key, etag: listEtagOf(marker, scope.key, query) };
  }

  /** `notModified`: the request's If-None-Match, as a test the edge builds (@IfNoneMatch). */
  async list(caller: Caller, query: ListQuery, notModified: NotModifiedTest = () => false, client?: ClientGone): Promise<ListAnswer> {
    if (query.unitCode !== undefined && !ANY_UNIT_CODE.test(query.unitCode)) throw invalidInput('unitCode', 'unitCode is a unit code of 2–5 digits');
    const statuses = parseEnumList<TicketStatus>('status', query.status, TICKET_STATUSES);
    if (query.kind !== undefined && query.kind !== 'GANGGUAN' && query.kind !== 'KELUHAN') throw invalidInput('kind', 'kind is GANGGUAN or KELUHAN');
    const open = parseBool('open', query.open);
    const overSla = parseBool('overSla', query.overSla);
    if (query.updatedSince !== undefined && !isOffsetDateTime(query.updatedSince)) throw invalidInput('updatedSince', 'updatedSince must be an ISO 8601 time with an offset');
    const filters = parseCustomerFilters(query); // R-L1
    if (query.outageId !== undefined && !UUID.test(query.outageId)) throw invalidInput('outageId', 'outageId must be an outage id (a UUID)');
    const limit = parseLimit(query.limit);
    const cursor = parseTimeKeyCursor(query.cursor, TICKET_NUMBER);

    const { units, key, etag } = await this.listScope(caller, query, client);
    if (notModified(etag)) return { notModified: true, etag };

    const and: Prisma.TicketWhereInput[] = [];
    if (statuses) and.push({ status: { in: statuses } });
    if (query.kind) and.push({ kind: query.kind as TicketKind });
    if (query.outageId) and.push({ outageId: query.outageId });
    if (open !== undefined) and.push({ status: open ? { in: [...OPEN] } : { notIn: [...OPEN] } });
    if (overSla !== undefined) and.push({ overSla });
    if (query.updatedSince) and.push({ updatedAt: { gte: new Date(query.updatedSince) } });
    and.push(...filters);
    if (cursor) and.push({ OR: [{ updatedAt: { gt: cursor.at } }, { updatedAt: cursor.at, number: { gt: cursor.key } }] });
    // R-D1: a replica that has the caller's own writes may answer. Its answer is tagged with its own
    // marker, read before its page, never with the primary's newer one: a tag newer than the rows would
    // earn the client 304s for rows it never got (docs/replicas.md).
    const [rows, answered] = await this.reads.read(caller, async (db) => {
      const tag = db.replica ? listEtagOf(await this.repository.changeMarker(db.pool, units, client?.signal), key, query) : etag;
      return [await this.repository.page(db.pool, units, { AND: and }, limit + 1, client?.signal), tag] as const;
    });
    return { notModified: false, etag: answered, ...toPage(rows, limit, ticketView, (last) => timeKeyCursor(last.updatedAt, last.number)) };
  }
}

// A dashboard sends the same query with the same marker until something changes: its tag is hashed once.
const ETAGS_MAX = 10_000;
const etags = new Map<string, string>();
function listEtagOf(marker: string, scopeKey: string, query: ListQuery): string {
  const input = `${marker}|${scopeKey}|${JSON.stringify(query)}`;
  let etag = etags.get(input);
  if (etag === undefined) {
    etag = `W/"${createHash('sha1').update(input).digest('base64url')}"`;
    if (etags.size >= ETAGS_MAX) etags.clear();
    etags.set(input, etag);
  }
  return etag;
}

/** Issue 14 point 11: callbackAt and visit dates within their bounds (time-bounds.rule.ts), else 400 naming the field. */
export function checkAhead(fields: { callbackAt?: string | null; komporInduksi?: { preferredVisitDate?: string }; iml?: { preferredVisitDate?: string }; preferredVisitDate?: string }, now: Date): void {
  const callbackError = fields.callbackAt ? callbackAtError(new Date(fields.callbackAt), now) : null;
  if (callbackError) throw invalidInput('callbackAt', `callbackAt ${callbackError}`);
  const dates: [string, string | undefined][] = [
    ['komporInduksi.preferredVisitDate', fields.komporInduksi?.preferredVisitDate],
    ['iml.preferredVisitDate', fields.iml?.preferredVisitDate],
    ['preferredVisitDate', fields.preferredVisitDate],
  ];
  for (const [field, date] of dates) {
    const error = date ? visitDateError(date, now) : null;
    if (error) throw invalidInput(field, `${field} ${error}`);
  }
}
