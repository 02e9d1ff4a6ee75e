import { Injectable } from '@nestjs/common';

// The dashboards' 304 check asks for the same unit's change marker thousands of times a second. Markers
// are remembered for a moment, per scope; every ticket write in this process bumps a generation after it
// returns, so a marker read that overlapped a write is never stored and this replica never answers 304
// for a change it made. A change made by another replica is seen within TTL_MS.
const TTL_MS = 250;

@Injectable()
export class ChangeMarkers {
  private generation = 0;
  private readonly cache = new Map<string, { marker: string; generation: number; at: number }>();

  async get(scope: string, load: () => Promise<string>): Promise<string> {
    const hit = this.cache.get(scope);
    if (hit && hit.generation === this.generation && Date.now() - hit.at < TTL_MS) return hit.marker;
    const generation = this.generation;
    const marker = await load();
    if (generation === this.generation) this.cache.set(scope, { marker, generation, at: Date.now() });
    return marker;
  }

  /** After any write to tickets in this process. */
  changed(): void {
    this.generation++;
    this.cache.clear();
  }
}
