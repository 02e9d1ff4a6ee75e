import { Injectable } from '@nestjs/common';

// The dashboards' 304 check asks for the same unit's change marker thousands of times a second. Markers
// are remembered per scope (the ULPs a caller acts for, R-H2, or ALL for callers who see every unit). Every ticket write in
// this process drops the scopes it touched once it returns, and bumps a generation so that a marker read
// which overlapped a write is never stored: this replica never answers 304 for a change it made.
// Changes made by other replicas: while this replica hears every commit (the change feed's shared poll,
// src/changes/change-stream.ts, calls heard() for each unit it reads a change of), a marker stays until a
// commit touches its scope, so a 304 costs no query and a change elsewhere shows within one poll and its
// read; while it does not hear (its polls fail), a marker is kept TTL_MS only.
const TTL_MS = 250;
export const ALL_UNITS = '*';

/** Whatever tells this replica of every commit to tickets, from any replica. */
export interface CommitSource {
  readonly hearing: boolean;
}

@Injectable()
export class ChangeMarkers {
  private generation = 0;
  private readonly cache = new Map<string, { marker: string; at: number; units: ReadonlySet<string> | null }>();
  private source: CommitSource | null = null;

  /** From now on a remembered marker holds as long as `source` hears every commit. */
  follow(source: CommitSource): void {
    this.source = source;
  }

  /** The marker of `scope`: a unit code, ALL_UNITS, or a set of units (R-H2) with its key (units null: every unit). */
  async get(within: string | { key: string; units: readonly string[] | null }, load: () => Promise<string>): Promise<string> {
    const scope = typeof within !== 'string' ? within : { key: within, units: within === ALL_UNITS ? null : [within] };
    const hit = this.cache.get(scope.key);
    if (hit && (this.source?.hearing || Date.now() - hit.at < TTL_MS)) return hit.marker;
    const generation = this.generation;
    const marker = await load();
    if (generation === this.generation) this.cache.set(scope.key, { marker, at: Date.now(), units: scope.units && new Set(scope.units) });
    return marker;
  }

  /** A commit to tickets by any replica (null: the source may have missed some, e.g. on reconnecting). */
  heard(unitCode: string | null): void {
    this.changed(unitCode ?? undefined);
  }

  /** After a write to tickets in this process: of one unit (every scope holding it, and ALL_UNITS), or of any units. */
  changed(unitCode?: string): void {
    this.generation++;
    if (unitCode === undefined) {
      this.cache.clear();
    } else {
      for (const [key, entry] of this.cache) if (!entry.units || entry.units.has(unitCode)) this.cache.delete(key);
    }
  }
}
