import { Injectable } from '@nestjs/common';
import { ClientGoneError } from '../database/cancellable';

// The dashboards' 304 check asks for the same unit's change marker thousands of times a second. Markers
// are remembered per scope (the ULPs a caller acts for, R-H2, or ALL for callers who see every unit). Every ticket write in
// this process drops the scopes it touched once it returns, and bumps a generation so that a marker read
// which overlapped a write is never stored: this replica never answers 304 for a change it made.
// Changes made by other replicas: while this replica hears every commit (the change feed's shared poll,
// src/changes/change-stream.ts, calls heard() for each unit it reads a change of), a marker stays until a
// commit touches its scope, so a 304 costs no query and a change elsewhere shows within one poll and its
// read; while it does not hear (its polls fail), a marker is kept TTL_MS only.
// A marker not remembered is read once for every request that asks for it meanwhile (issue 30: 500
// dashboards after one change sent 500 statements), and that read is cancelled when every request
// waiting for it has gone (src/http/client-gone.ts): no statement outlives its clients.
const TTL_MS = 250;
export const ALL_UNITS = '*';

/** One read of a scope's marker and the requests waiting for it. */
interface Flight {
  readonly generation: number;
  readonly stop: AbortController;
  waiting: number;
  marker: Promise<string>;
}

/** Whatever tells this replica of every commit to tickets, from any replica. */
export interface CommitSource {
  readonly hearing: boolean;
}

@Injectable()
export class ChangeMarkers {
  private generation = 0;
  private readonly cache = new Map<string, { marker: string; at: number; units: ReadonlySet<string> | null }>();
  private readonly flights = new Map<string, Flight>();
  private source: CommitSource | null = null;

  /** From now on a remembered marker holds as long as `source` hears every commit. */
  follow(source: CommitSource): void {
    this.source = source;
  }

  /**
   * The marker of `scope`: a unit code, ALL_UNITS, or a set of units (R-H2) with its key (units null:
   * every unit). `load` reads it, stopping when its signal aborts; `client`: the request's, whose leaving
   * (its signal aborting) fails this call with ClientGoneError. Its signal is read only on a miss.
   */
  get(within: string | { key: string; units: readonly string[] | null }, load: (signal: AbortSignal) => Promise<string>, client?: { readonly signal: AbortSignal }): Promise<string> {
    const scope = typeof within !== 'string' ? within : { key: within, units: within === ALL_UNITS ? null : [within] };
    const hit = this.peek(scope.key);
    if (hit !== undefined) return Promise.resolve(hit);
    let flight = this.flights.get(scope.key);
    // a read that started before a write may miss it: only one that started after is shared
    if (!flight || flight.generation !== this.generation) flight = this.start(scope.key, scope.units, load);
    return this.join(scope.key, flight, client?.signal);
  }

  /** The remembered marker of a scope key, if it is still good. */
  peek(key: string): string | undefined {
    const hit = this.cache.get(key);
    return hit && (this.source?.hearing || Date.now() - hit.at < TTL_MS) ? hit.marker : undefined;
  }

  private start(key: string, units: readonly string[] | null, load: (signal: AbortSignal) => Promise<string>): Flight {
    const generation = this.generation;
    const stop = new AbortController();
    const flight: Flight = { generation, stop, waiting: 0, marker: Promise.resolve('') };
    flight.marker = load(stop.signal)
      .then((marker) => {
        if (generation === this.generation) this.cache.set(key, { marker, at: Date.now(), units: units && new Set(units) });
        return marker;
      })
      .finally(() => this.land(key, flight));
    this.flights.set(key, flight);
    return flight;
  }

  private join(key: string, flight: Flight, signal: AbortSignal | undefined): Promise<string> {
    if (!signal) {
      flight.waiting = Infinity; // a caller that cannot leave keeps the read going
      return flight.marker;
    }
    if (signal.aborted) return Promise.reject(new ClientGoneError());
    flight.waiting++;
    return new Promise((resolve, reject) => {
      const leave = () => {
        if (--flight.waiting === 0) {
          flight.stop.abort();
          this.land(key, flight);
        }
        reject(new ClientGoneError());
      };
      signal.addEventListener('abort', leave, { once: true });
      flight.marker.then(
        (marker) => {
          signal.removeEventListener('abort', leave);
          resolve(marker);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', leave);
          reject(error);
        },
      );
    });
  }

  private land(key: string, flight: Flight): void {
    if (this.flights.get(key) === flight) this.flights.delete(key);
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
