import { randomBytes } from 'node:crypto';
import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { Clock } from '../clock/clock';
import { ReadRouter } from '../database/read-router';
import type { Caller } from '../auth/roles';
import { parseLimit } from '../common/cursor';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { ticketView } from '../tickets/ticket.view';
import { type ChangedKey, ChangesRepository, type ChangedTicket } from './changes.repository';
import { afterWindow, BEGINNING, covers, insideWindow, PositionCodec, type Position } from './positions';
import { invalidInput } from '../common/domain.exception';
import { UnitScopes } from '../units/unit-scopes';
import { ANY_UNIT_CODE } from '../units/unit-tree.rules';
import type { ChangesPage } from './changes.view';

export interface ChangesQuery {
  after?: string;
  unitCode?: string;
  limit?: string;
}

export type { ChangesPage };

export interface WindowPage<R extends ChangedKey = ChangedTicket> {
  rows: R[];
  /** each row's own position: resuming from it continues right after that row */
  positions: Position[];
  /** where the next read starts */
  next: Position;
}

@Injectable()
export class ChangesService implements OnModuleInit {
  /** Signs positions: with AUTH_JWT_SECRET when set, else with the replicas' shared key (onModuleInit). */
  codec: PositionCodec;

  constructor(
    private readonly repository: ChangesRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly scopes: UnitScopes,
    private readonly reads: ReadRouter,
  ) {
    this.codec = new PositionCodec(config.jwtSecret ?? '');
  }

  async onModuleInit(): Promise<void> {
    if (this.config.jwtSecret) return;
    this.codec = new PositionCodec(await this.repository.sharedKey(randomBytes(32).toString('base64url'), this.clock.now()));
  }

  /**
   * R-F2, R-H2, R-H3: the unit whose subtree a reader follows: `unitCode` (any level) when the caller may
   * see it, else a unit caller's own unit (as it followed its own unit whatever it asked); null for every unit.
   */
  async root(caller: Caller, unitCode: string | undefined): Promise<string | null> {
    if (unitCode !== undefined && !ANY_UNIT_CODE.test(unitCode)) throw invalidInput('unitCode', 'unitCode is a unit code of 2–5 digits');
    const { outside } = await this.scopes.narrowed(caller, unitCode);
    return unitCode !== undefined && !outside ? unitCode : caller.role === 'unit' ? (caller.unit ?? '') : null;
  }

  /** A stream's live filter for `root` (one connection for a UP3 or a UID, following reorganisations). */
  follower(root: string | null): ((unitCode: string) => boolean) | undefined {
    return root === null ? undefined : this.scopes.follower(root);
  }

  /** A position this service gave, else 400 naming where it came from. */
  position(field: string, raw: string): Position {
    const position = this.codec.decode(raw);
    if (!position) throw invalidInput(field, 'not a position this service gave');
    return position;
  }

  /** GET /api/v1/ticket-changes (R-F1, R-F2). */
  async read(caller: Caller, query: ChangesQuery, signal?: AbortSignal): Promise<ChangesPage> {
    const { scope } = await this.scopes.narrowed(caller, await this.root(caller, query.unitCode) ?? undefined);
    const limit = parseLimit(query.limit);
    const after = query.after === undefined ? BEGINNING : this.position('after', query.after);
    // R-D1: a replica may answer, but only a window closed at a primary snapshot it has replayed
    // (docs/replicas.md); the primary answers everything else as before.
    const route = this.reads.feed(caller, after.end, (snapshot) => covers(snapshot, after.prev));
    const page = await this.reads.on(route.reader, async (db) =>
      this.paged(after, limit, await this.repository.window(after, scope.units, limit + 1, route.end ?? undefined, signal, db)),
    );
    return { items: page.rows.map((r) => ticketView(r.ticket)), position: this.codec.encode(page.next) };
  }

  /**
   * Up to `limit` changed tickets after `after`; a complete position's window closes at `end` when given.
   * `signal`: the request's client went away (issue 14 point 18).
   */
  async page(after: Position, units: readonly string[] | null, limit: number, end?: string, signal?: AbortSignal): Promise<WindowPage> {
    return this.paged(after, limit, await this.repository.window(after, units, limit + 1, end, signal));
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
