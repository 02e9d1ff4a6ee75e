import { Inject, Injectable } from '@nestjs/common';
import { ReadRouter } from '../database/read-router';
import type { Caller } from '../auth/roles';
import { parseLimit } from '../common/cursor';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ticketView, type TicketView } from '../tickets/ticket.view';
import { type ChangedKey, ChangesRepository, type ChangedTicket } from './changes.repository';
import { afterWindow, BEGINNING, covers, insideWindow, PositionCodec, type Position } from './positions';
import { invalidInput } from '../common/domain.exception';

export interface ChangesQuery {
  after?: string;
  unitCode?: string;
  limit?: string;
}

export interface ChangesPage {
  items: TicketView[];
  position: string;
}

export interface WindowPage<R extends ChangedKey = ChangedTicket> {
  rows: R[];
  /** each row's own position: resuming from it continues right after that row */
  positions: Position[];
  /** where the next read starts */
  next: Position;
}

@Injectable()
export class ChangesService {
  readonly codec: PositionCodec;

  constructor(
    private readonly repository: ChangesRepository,
    @Inject(APP_CONFIG) config: AppConfig,
    private readonly reads: ReadRouter,
  ) {
    this.codec = new PositionCodec(config.jwtSecret ?? '');
  }

  /** R-F2: a unit caller follows its own unit only; others may pick one. */
  scope(caller: Caller, unitCode: string | undefined): string | undefined {
    if (unitCode !== undefined && !/^\d{3}$/.test(unitCode)) throw invalidInput('unitCode', 'unitCode must be 3 digits');
    return caller.role === 'unit' ? caller.unit : unitCode;
  }

  /** A position this service gave, else 400 naming where it came from. */
  position(field: string, raw: string): Position {
    const position = this.codec.decode(raw);
    if (!position) throw invalidInput(field, 'not a position this service gave');
    return position;
  }

  /** GET /api/v1/ticket-changes (R-F1, R-F2). */
  async read(caller: Caller, query: ChangesQuery, signal?: AbortSignal): Promise<ChangesPage> {
    const unitCode = this.scope(caller, query.unitCode);
    const limit = parseLimit(query.limit);
    const after = query.after === undefined ? BEGINNING : this.position('after', query.after);
    // R-D1: a replica may answer, but only a window closed at a primary snapshot it has replayed
    // (docs/replicas.md); the primary answers everything else as before.
    const route = this.reads.feed(caller, after.end, (snapshot) => covers(snapshot, after.prev));
    const page = await this.reads.on(route.reader, async (db) =>
      this.paged(after, limit, await this.repository.window(after, unitCode, limit + 1, route.end ?? undefined, signal, db)),
    );
    return { items: page.rows.map((r) => ticketView(r.ticket)), position: this.codec.encode(page.next) };
  }

  /**
   * Up to `limit` changed tickets after `after`; a complete position's window closes at `end` when given.
   * `signal`: the request's client went away (issue 14 point 18).
   */
  async page(after: Position, unitCode: string | undefined, limit: number, end?: string, signal?: AbortSignal): Promise<WindowPage> {
    return this.paged(after, limit, await this.repository.window(after, unitCode, limit + 1, end, signal));
  }

  /** `page` of all units with each ticket as its number and unit only (the replica's own watcher). */
  async keyPage(after: Position, limit: number, end?: string): Promise<WindowPage<ChangedKey>> {
    return this.paged(after, limit, await this.repository.windowKeys(after, limit + 1, end));
  }

  private paged<R extends ChangedKey>(after: Position, limit: number, window: { end: string; rows: R[] }): WindowPage<R> {
    const more = window.rows.length > limit;
    const rows = window.rows.slice(0, limit);
    const positions = rows.map((r) => insideWindow(after.prev, window.end, r.xid, r.ticket.number));
    return { rows, positions, next: more ? positions[positions.length - 1] : afterWindow(window.end) };
  }

  /** Where a stream without Last-Event-ID starts: only changes committed after now (R-F3). */
  async now(): Promise<Position> {
    return afterWindow(await this.snapshot());
  }

  snapshot(): Promise<string> {
    return this.repository.snapshot();
  }
}
