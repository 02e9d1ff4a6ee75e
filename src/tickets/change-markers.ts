import { Injectable } from '@nestjs/common';

// The dashboards' 304 check asks for the same unit's change marker thousands of times a second. Markers
// are remembered for a moment, per scope (a unit code, or ALL for callers who see every unit). Every
// ticket write in this process drops the scopes it touched once it returns, and bumps a generation so
// that a marker read which overlapped a write is never stored: this replica never answers 304 for a
// change it made. A change made by another replica is seen within TTL_MS.
const TTL_MS = 250;
export const ALL_UNITS = '*';

@Injectable()
export class ChangeMarkers {
  private generation = 0;
  private readonly cache = new Map<string, { marker: string; at: number }>();

  async get(scope: string, load: () => Promise<string>): Promise<string> {
    const hit = this.cache.get(scope);
    if (hit && Date.now() - hit.at < TTL_MS) return hit.marker;
    const generation = this.generation;
    const marker = await load();
    if (generation === this.generation) this.cache.set(scope, { marker, at: Date.now() });
    return marker;
  }

  /** After a write to tickets in this process: of one unit (its scope and ALL_UNITS), or of any units. */
  changed(unitCode?: string): void {
    this.generation++;
    if (unitCode === undefined) {
      this.cache.clear();
    } else {
      this.cache.delete(unitCode);
      this.cache.delete(ALL_UNITS);
    }
  }
}
