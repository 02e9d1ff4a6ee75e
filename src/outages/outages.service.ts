import { databaseFault } from '../database/faults';
import { logFault } from '../logging/logger';
import { Inject, Injectable, Logger, OnModuleDestroy } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { parseLimit } from '../common/cursor';
import { parseTimeKeyCursor, timeKeyCursor, toPage, UUID } from '../common/list-query';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PrismaService, type Tx } from '../database/prisma.service';
import type { Outage, OutageMove, Prisma } from '../generated/prisma/client';
import { type IdempotentRequest, withinWork } from '../http/idempotency';
import { ifMatchPasses, type TagList } from '../http/preconditions';
import type { Actor } from '../tickets/history';
import { OutagePort } from '../tickets/outage-port';
import { type OutageAttachAnswer, OutageTicketsService } from '../tickets/outage-tickets.service';
import type { MoveToCarry } from '../tickets/outage-port';
import { UnitsService } from '../units/units';
import { UnitScopes } from '../units/unit-scopes';
import { ANY_UNIT_CODE } from '../units/unit-tree.rules';
import { outageNote } from '../tickets/rules/outage.rule';
import { ticketView, type TicketAnswer } from '../tickets/ticket.view';
import { TicketsService } from '../tickets/tickets.service';
import type { CreateOutageDto, OutageStatusDto, UpdateOutageDto } from './outages.dto';
import { ACTIVE_STATUSES, checkOutageMove, etrNote, isFinal } from './outage.rules';
import { type OutageFacts, outageView, type OutageAnswer } from './outage.view';
import { OutagesRepository } from './outages.repository';
import { invalidInput } from '../common/domain.exception';
import { OutageException, OutageErrorCode } from './outage.exception';

export interface OutageListQuery {
  unitCode?: string;
  active?: string;
  limit?: string;
  cursor?: string;
}

/** Tickets per transaction of a propagation (R-O3): short enough not to hold many rows for long. */
export const PROPAGATION_BATCH = 500;

const actorOf = (caller: Caller): Actor => ({ sub: caller.sub, role: caller.role, name: caller.name });

// Mass outages (R-O1…R-O4). An outage's own changes are one transaction each; a status move or an etr
// change is recorded as a move that the propagation carries to the tickets in batches of one
// transaction each (R-O3): started at once in this replica when its jobs run, finished by the
// `outagePropagation` job of any replica otherwise (after a crash too). Ticket changes go through the
// tickets module (TicketsService.write, OutageTicketsService).
@Injectable()
export class OutagesService implements OnModuleDestroy {
  private readonly logger = new Logger('Outages');
  private draining: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: OutagesRepository,
    private readonly tickets: TicketsService,
    private readonly outageTickets: OutageTicketsService,
    private readonly units: UnitsService,
    private readonly scopes: UnitScopes,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    port: OutagePort,
  ) {
    port.register(repository);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    await this.draining;
  }

  /** R-O1: a unit declares an outage of a ULP in its scope (R-H2; another unit's: 404, as for tickets). */
  async create(caller: Caller, dto: CreateOutageDto, idempotent?: IdempotentRequest): Promise<OutageAnswer> {
    if (!(await this.scopes.covers(caller, dto.unitCode))) throw new OutageException(OutageErrorCode.NOT_FOUND, `Unit ${dto.unitCode} not found`);
    const unit = await this.units.find(dto.unitCode);
    if (!unit) throw invalidInput('unitCode', `unit ${dto.unitCode} is not registered`);
    if (unit.level !== 'ULP') throw invalidInput('unitCode', `unit ${dto.unitCode} is a ${unit.level}; outages belong to ULPs (R-H1)`);
    const now = this.clock.now();
    // one transaction with the request's Idempotency-Key (src/http/idempotency.ts)
    return this.prisma.$transaction((tx) => withinWork(tx, idempotent, () => this.insert(tx, dto, now)));
  }

  private async insert(tx: Tx, dto: CreateOutageDto, now: Date): Promise<OutageAnswer> {
    const outage = await this.repository.create(tx, {
      unitCode: dto.unitCode,
      title: dto.title,
      cause: dto.cause,
      area: dto.area,
      etr: dto.etr === null ? null : new Date(dto.etr),
      status: 'PENUGASAN',
      lastEventAt: now,
      createdAt: now,
      updatedAt: now,
    });
    return outageView(outage, { ticketCount: 0, openTicketCount: 0, lastPropagation: { status: outage.status, reached: 0, pending: 0 } });
  }

  async get(caller: Caller, id: string): Promise<OutageAnswer> {
    return (await this.views([await this.visible(this.prisma, caller, id)]))[0];
  }

  async list(caller: Caller, query: OutageListQuery): Promise<{ items: OutageAnswer[]; nextCursor: string | null }> {
    if (query.unitCode !== undefined && !ANY_UNIT_CODE.test(query.unitCode)) throw invalidInput('unitCode', 'unitCode is a unit code of 2–5 digits');
    if (query.active !== undefined && query.active !== 'true' && query.active !== 'false') throw invalidInput('active', 'active is true or false');
    const limit = parseLimit(query.limit);
    const cursor = parseTimeKeyCursor(query.cursor, UUID);
    const { scope } = await this.scopes.narrowed(caller, query.unitCode); // R-H2, R-H3; outside a unit caller's subtree: its own
    const and: Prisma.OutageWhereInput[] = [];
    if (scope.units) and.push({ unitCode: { in: [...scope.units] } });
    if (query.active !== undefined) and.push({ status: query.active === 'true' ? { in: ACTIVE_STATUSES } : { notIn: ACTIVE_STATUSES } });
    if (cursor) and.push({ OR: [{ createdAt: { lt: cursor.at } }, { createdAt: cursor.at, id: { lt: cursor.key } }] });
    const rows = await this.repository.list(this.prisma, { AND: and }, limit + 1);
    const views = new Map((await this.views(rows.slice(0, limit))).map((v) => [v.id, v]));
    return toPage(rows, limit, (o) => views.get(o.id) as OutageAnswer, (last) => timeKeyCursor(last.createdAt, last.id));
  }

  /** R-O2: attaches open Gangguan tickets of the outage's unit by number; the others are refused with their reason. */
  async attach(caller: Caller, id: string, numbers: string[], idempotent?: IdempotentRequest): Promise<OutageAttachAnswer> {
    const now = this.clock.now();
    return this.tickets.write(async (tx) => {
      const outage = await this.visible(tx, caller, id);
      const attachable = await this.repository.lockForAttach(tx, outage.id);
      if (!attachable) throw new OutageException(OutageErrorCode.INVALID_TRANSITION, `Outage ${id} is ${outage.status}: tickets join an outage only before NYALA`);
      return this.outageTickets.attach(tx, attachable, numbers, actorOf(caller), now);
    }, idempotent);
  }

  /** R-O4: the ticket leaves the outage; its later moves are its own. */
  async detach(caller: Caller, id: string, number: string): Promise<TicketAnswer> {
    const now = this.clock.now();
    return this.tickets.write(async (tx) => {
      const outage = await this.visible(tx, caller, id);
      const ticket = await this.tickets.lockVisible(tx, caller, number);
      if (ticket.outageId !== outage.id) throw new OutageException(OutageErrorCode.NOT_FOUND, `Ticket ${number} in outage ${id} not found`);
      const note = `Keluar dari padam meluas: ${outage.title}`;
      return ticketView(await this.tickets.change(tx, ticket, { outage: { disconnect: true } }, [{ type: 'DETACHED_FROM_OUTAGE', note }], actorOf(caller), now, now));
    });
  }

  /** R-O1, R-O3: moves the outage (202: its tickets follow by propagation). */
  async moveStatus(caller: Caller, id: string, dto: OutageStatusDto, condition: TagList | undefined, idempotent?: IdempotentRequest): Promise<OutageAnswer> {
    const now = this.clock.now();
    const moved = await this.tickets.write(async (tx) => {
      const outage = await this.lockVisible(tx, caller, id, condition);
      const check = checkOutageMove(outage.status, dto.status);
      if (!check.ok) throw new OutageException(OutageErrorCode.INVALID_TRANSITION, `Outage ${id}: ${check.reason}`);
      const occurredAt = this.tickets.clientTime('occurredAt', dto.occurredAt, now, outage.lastEventAt);
      const final = dto.status === 'SELESAI' || dto.status === 'BATAL';
      const updated = await this.repository.update(tx, id, {
        status: dto.status,
        ...(dto.status === 'SELESAI' ? { unitAnswer: dto.unitAnswer } : {}),
        ...(dto.status === 'BATAL' ? { cancelReason: dto.reason } : {}),
        ...(final ? { closedAt: occurredAt } : {}),
        version: { increment: 1 },
        updatedAt: now,
        lastEventAt: occurredAt,
      });
      await this.repository.addMove(tx, {
        ...this.moveOf(updated, caller, occurredAt, now),
        kind: 'STATUS',
        toStatus: dto.status,
        unitAnswer: dto.status === 'SELESAI' ? dto.unitAnswer : null,
        reason: dto.status === 'BATAL' ? dto.reason : null,
        note: outageNote(updated.title),
      });
      // the answer is made inside the work so that the one stored with the Idempotency-Key is the one sent
      return (await this.views([updated], tx))[0];
    }, idempotent);
    this.kick();
    return moved;
  }

  /** Changes the outage's etr, title, cause or area; a new etr is noted on each attached open ticket (R-O3). */
  async update(caller: Caller, id: string, dto: UpdateOutageDto, condition: TagList | undefined): Promise<OutageAnswer> {
    const now = this.clock.now();
    let etrChanged = false;
    const updated = await this.tickets.write(async (tx) => {
      const outage = await this.lockVisible(tx, caller, id, condition);
      if (isFinal(outage.status)) throw new OutageException(OutageErrorCode.INVALID_TRANSITION, `Outage ${id} is ${outage.status}, a final status`);
      const etr = dto.etr === undefined ? outage.etr : dto.etr === null ? null : new Date(dto.etr);
      etrChanged = (etr?.getTime() ?? null) !== (outage.etr?.getTime() ?? null);
      const changed = await this.repository.update(tx, id, { etr, title: dto.title, cause: dto.cause, area: dto.area, version: { increment: 1 }, updatedAt: now });
      if (etrChanged) {
        const unit = await this.units.find(changed.unitCode, tx);
        const at = now > outage.lastEventAt ? now : outage.lastEventAt;
        await this.repository.addMove(tx, {
          ...this.moveOf(changed, caller, at, now),
          kind: 'ETR',
          etr,
          note: etrNote(changed.title, etr, unit?.timeZone ?? 'Asia/Jakarta'),
        });
      }
      return changed;
    });
    if (etrChanged) this.kick();
    return (await this.views([updated]))[0];
  }

  /** When the oldest move still propagating was recorded, or null (the job-lag gauge, R-O3). */
  oldestUnfinishedMoveAt(): Promise<Date | null> {
    return this.repository.oldestUnfinishedMoveAt(this.prisma);
  }

  /**
   * One batch of the `outagePropagation` job (R-O3): carries the claimed moves to their tickets, one
   * transaction per batch of tickets, until `size` tickets have moved or no move is left. Returns how many.
   */
  async propagateBatch(now: Date, size: number): Promise<number> {
    let total = 0;
    while (total < size) {
      const count = await this.carryOne(now, size);
      if (count === null) break;
      total += count;
    }
    return total;
  }

  /** Resolves when the propagation this replica started on its own has finished (tests, shutdown). */
  idle(): Promise<void> {
    return this.draining;
  }

  private async carryOne(now: Date, size: number): Promise<number | null> {
    return this.tickets.write(async (tx) => {
      const move = await this.repository.claimMove(tx);
      if (!move) return null;
      const batch = await this.outageTickets.carryBatch(tx, toCarry(move), size, now);
      await this.repository.advanceMove(tx, move, batch, !batch.more, now);
      return batch.count;
    });
  }

  /** Starts carrying new moves at once in a replica that runs jobs; the job finishes whatever this leaves. */
  private kick(): void {
    if (!this.config.jobsEnabled || this.stopped) return;
    this.draining = this.draining
      .then(async () => {
        while (!this.stopped && (await this.propagateBatch(this.clock.now(), PROPAGATION_BATCH)) > 0);
      })
      // the database going away is expected and retried by the job (issue 14): a warning, not an error
      .catch((error: Error) => logFault(databaseFault(error) !== undefined, (level) => this.logger[level]({ err: error }, 'outage propagation failed; the outagePropagation job finishes it')));
  }

  private moveOf(outage: Outage, caller: Caller, occurredAt: Date, now: Date) {
    return { outageId: outage.id, title: outage.title, actorSub: caller.sub, actorRole: caller.role, actorName: caller.name ?? null, occurredAt, createdAt: now };
  }

  private async seenBy(caller: Caller, id: string, outage: Outage | null): Promise<Outage> {
    if (!outage || !(await this.scopes.covers(caller, outage.unitCode))) throw new OutageException(OutageErrorCode.NOT_FOUND, `Outage ${id} not found`);
    return outage;
  }

  private async visible(db: Tx, caller: Caller, id: string): Promise<Outage> {
    return this.seenBy(caller, id, UUID.test(id) ? await this.repository.find(db, id) : null);
  }

  /** The outage under its row lock; If-Match (parsed at the edge, as for tickets) must name its entity tag, its version. */
  private async lockVisible(tx: Tx, caller: Caller, id: string, condition: TagList | undefined): Promise<Outage> {
    const outage = await this.seenBy(caller, id, UUID.test(id) ? await this.repository.lock(tx, id) : null);
    if (condition !== undefined && !ifMatchPasses(condition, versionTag(outage.version))) {
      throw new OutageException(OutageErrorCode.VERSION_MISMATCH, `The outage is at version ${outage.version} (entity tag ${versionTag(outage.version)}), which If-Match does not name`);
    }
    return outage;
  }

  private async views(outages: Outage[], db: Tx = this.prisma): Promise<OutageAnswer[]> {
    const ids = outages.map((o) => o.id);
    const counts = await this.outageTickets.counts(db, ids);
    const moves = await this.repository.lastStatusMoves(db, ids);
    const lastMove = new Map(moves.map((m) => [m.outageId, m]));
    return Promise.all(
      outages.map(async (o) => {
        const move = lastMove.get(o.id);
        const facts: OutageFacts = {
          ...(counts.get(o.id) ?? { ticketCount: 0, openTicketCount: 0 }),
          lastPropagation: move?.toStatus
            ? {
                status: move.toStatus,
                reached: move.reached,
                pending: move.doneAt ? 0 : await this.outageTickets.pending(db, o.id, move.toStatus, move.cursor),
              }
            : { status: o.status, reached: 0, pending: 0 },
        };
        return outageView(o, facts);
      }),
    );
  }
}

const toCarry = (m: OutageMove): MoveToCarry => ({
  outageId: m.outageId,
  kind: m.kind as MoveToCarry['kind'],
  toStatus: m.toStatus,
  title: m.title,
  unitAnswer: m.unitAnswer,
  reason: m.reason,
  note: m.note,
  actorSub: m.actorSub,
  actorRole: m.actorRole,
  actorName: m.actorName,
  occurredAt: m.occurredAt,
  cursor: m.cursor,
});

/** An outage's entity tag: its version, strong, like a ticket's. */
const versionTag = (version: number): string => `"${version}"`;
