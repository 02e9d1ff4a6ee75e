import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { Client } from 'pg';
import type { Caller } from '../auth/roles';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { PrismaService } from '../database/prisma.service';
import { logFault, rootLogger } from '../logging/logger';
import { type TreeUnit, UnitTree } from './unit-tree.rules';
import { UnitsRepository } from './units.repository';

/** While this replica does not hear the tree's notifications, a tree read is trusted this long. */
const UNHEARD_TTL_MS = 1000;
const RECONNECT_MS = 1000;

/** The ULPs a request acts for: null for every unit (a caller not bound to one). */
export interface Scope {
  readonly units: readonly string[] | null;
  /** the same set as a string, for caches and ETags */
  readonly key: string;
}

export const EVERY_UNIT: Scope = { units: null, key: '*' };

/** A request's `unitCode` resolved against the caller's scope (R-H2, R-H3). */
export interface Narrowed {
  scope: Scope;
  /** the unit asked for (or the unit caller's own when none was), when it is registered and above a ULP: its row in a report */
  node: TreeUnit | null;
  /** the unitCode names a unit outside the caller's subtree (each route answers as it did for another unit) */
  outside: boolean;
  /** the unitCode names a registered unit */
  known: boolean;
}

const scopeOf = (units: readonly string[]): Scope => ({ units, key: units.join(',') });

/** UnitScopes.narrowed over a tree in hand. */
export function narrowIn(tree: UnitTree, caller: Caller | null, unitCode: string | undefined): Narrowed {
  const own = caller?.role === 'unit' ? (caller.unit ?? '') : null;
  const outside = unitCode !== undefined && own !== null && !tree.isWithin(unitCode, own);
  const asked = unitCode !== undefined && !outside ? unitCode : own;
  const unit = asked === null ? undefined : tree.units.get(asked);
  return {
    scope: asked === null ? EVERY_UNIT : scopeOf(tree.ulpsUnder(asked)),
    node: unit && unit.level !== 'ULP' ? unit : null,
    outside,
    known: unitCode === undefined || tree.units.has(unitCode),
  };
}

/**
 * R-H2: the one place that decides which ULPs a caller acts for. A `unit` caller acts for every ULP at
 * or beneath its unit; every other role for every unit. The tree is read once and kept in memory; every
 * change of it (UnitsService.put, on any replica) raises its version and notifies `apkt_unit_tree`, on
 * which each replica listens, so a reorganisation changes scopes at once everywhere (R-H4). While the
 * listening connection is down, a tree is trusted UNHEARD_TTL_MS and then its version is compared.
 */
@Injectable()
export class UnitScopes implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = rootLogger.child({ context: 'UnitScopes' });
  private tree: UnitTree | null = null;
  private loading: Promise<UnitTree> | null = null;
  private stale = true;
  private generation = 0;
  private checkedAt = 0;
  private hearing = false;
  private listener: Client | null = null;
  private reconnect: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: UnitsRepository,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    void this.listen();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.reconnect) clearTimeout(this.reconnect);
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }

  /** The tree changed (this replica's own write has committed, or another replica's was heard). */
  invalidate(): void {
    this.generation++;
    this.stale = true;
    this.loading = null;
  }

  /** The tree as it is now. */
  async current(): Promise<UnitTree> {
    return this.currentNow() ?? (this.loading ??= this.load());
  }

  /** The tree as it is now when it is in memory and still good, without waiting (the list's 304, issue 30); else null. */
  currentNow(): UnitTree | null {
    return this.tree && !this.stale && (this.hearing || Date.now() - this.checkedAt < UNHEARD_TTL_MS) ? this.tree : null;
  }

  /** The latest tree read, without waiting (the change stream's per-event filter); current() keeps it fresh. */
  latest(): UnitTree | null {
    return this.tree;
  }

  /** The ULPs `caller` acts for. */
  async of(caller: Caller | null): Promise<Scope> {
    if (caller?.role !== 'unit') return EVERY_UNIT;
    return scopeOf((await this.current()).ulpsUnder(caller.unit ?? ''));
  }

  /** Whether `caller` acts for the ULP `unitCode` (a ticket's, an outage's): outside is 404 everywhere. */
  async covers(caller: Caller | null, unitCode: string): Promise<boolean> {
    if (caller?.role !== 'unit') return true;
    if (caller.unit === unitCode) return true;
    return (await this.current()).isWithin(unitCode, caller.unit ?? '');
  }

  /**
   * The scope of a request that names `unitCode` (any level, R-H3): the ULPs beneath it when the caller
   * may see it, else the caller's own scope with `outside` set.
   */
  async narrowed(caller: Caller | null, unitCode: string | undefined): Promise<Narrowed> {
    return narrowIn(this.currentNow() ?? (await this.current()), caller, unitCode);
  }

  /** R-W7, R-H3: `code` and every unit beneath it, of any level. */
  async subtree(code: string): Promise<string[]> {
    return (this.currentNow() ?? (await this.current())).subtree(code);
  }

  /**
   * A live test for a stream that follows `root` (a unit code, or null for every unit): each event asks
   * the tree as it is then, so an open stream follows a reorganisation.
   */
  follower(root: string | null): (unitCode: string) => boolean {
    if (root === null) return () => true;
    return (unitCode) => unitCode === root || (this.tree?.isWithin(unitCode, root) ?? false);
  }

  private async load(): Promise<UnitTree> {
    const generation = this.generation;
    try {
      let tree = this.tree;
      if (!tree || this.stale || (await this.repository.version(this.prisma.pool)) !== tree.version) {
        const read = await this.repository.tree(this.prisma.pool);
        tree = new UnitTree(read.version, read.units);
      }
      if (generation === this.generation) {
        this.tree = tree;
        this.stale = false;
        this.checkedAt = Date.now();
      }
      return tree;
    } finally {
      if (generation === this.generation) this.loading = null;
    }
  }

  private async listen(): Promise<void> {
    if (this.stopped || !this.config.databaseUrl) return;
    const lost = (client: Client, error?: Error) => {
      if (this.listener !== client) return;
      this.listener = null;
      this.hearing = false;
      this.invalidate();
      if (error) logFault(true, (level) => this.logger[level]({ err: error }, 'listening for unit tree changes failed; scopes re-check the tree version until it reconnects'));
      void client.end().catch(() => undefined);
      if (!this.stopped) {
        this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
        this.reconnect.unref();
      }
    };
    const heard = () => {
      this.invalidate();
      void this.current().catch(() => undefined); // open streams filter on the latest tree read (follower)
    };
    let opening: Client | null = null;
    try {
      opening = await this.repository.listen(this.config.databaseDirectUrl ?? (this.config.databaseUrl as string), heard, (client, error) => (this.listener === client ? lost(client, error) : undefined));
      if (this.stopped) return void opening.end().catch(() => undefined);
      this.listener = opening;
      this.hearing = true;
      this.invalidate(); // a change may have committed before the LISTEN
    } catch (error) {
      logFault(true, (level) => this.logger[level]({ err: error }, 'listening for unit tree changes failed; scopes re-check the tree version until it reconnects'));
      if (!this.stopped) {
        this.reconnect = setTimeout(() => void this.listen(), RECONNECT_MS);
        this.reconnect.unref();
      }
    }
  }
}
