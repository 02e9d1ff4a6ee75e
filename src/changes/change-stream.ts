import { databaseFault } from '../database/faults';
import { Injectable, OnApplicationBootstrap, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance } from 'fastify';
import { logFault, rootLogger } from '../logging/logger';
import { Metrics } from '../metrics/metrics';
import { ChangeMarkers } from '../tickets/change-markers';
import { ticketView, type TicketAnswer } from '../tickets/ticket.view';
import { ChangesService, type WindowPage } from './changes.service';
import type { Position } from './positions';

/** API.md: a comment line every 15 s keeps proxies from closing an idle stream. */
export const HEARTBEAT_MS = 15_000;
/** How often a replica asks whether anything committed: the bound on a change's delay, plus one read. */
export const POLL_MS = 200;
const BATCH = 500;

export interface StreamClient {
  /** whether this client follows a ULP's changes (R-F2, R-H2: the tree as it is at each event), or undefined for every unit */
  follows: ((unitCode: string) => boolean) | undefined;
  write(chunk: string): void;
  end(): void;
  /** R-P1: told of each ticket sent to this client (the access log). */
  sent?(view: TicketAnswer): void;
}

interface Group {
  position: Position;
  clients: Set<StreamClient>;
}

const keyOf = (p: Position) => `${p.prev}|${p.end}|${p.xid}|${p.number}`;

/**
 * R-F3, R-F4: one shared poll per replica learns of every commit, from any replica: every POLL_MS it
 * takes a snapshot (no table read), and only when that differs from the last one — something committed
 * somewhere — reads the feed once for all its streams. Streams at the same position form one group, read
 * once; every read of a burst closes at one shared snapshot, so groups that started apart (a resume, a
 * new connection) meet at the same position and are read once from then on. An idle stream costs no
 * query at all. (LISTEN/NOTIFY was the first design: PostgreSQL serialises the commits of notifying
 * transactions, which halved concurrent ticket writes; docs/change-feed.md.)
 */
@Injectable()
export class ChangeStream implements OnModuleInit, OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = rootLogger.child({ context: 'ChangeStream' });
  private readonly groups = new Map<string, Group>();
  private readonly groupOf = new Map<StreamClient, Group>(); // groups merge: a client's group changes
  private readonly unitListeners: ((unitCode: string | null) => void)[] = [];
  private draining: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private heartbeat: NodeJS.Timeout | null = null;
  private poller: NodeJS.Timeout | null = null;
  private polling = false;
  private lastSnapshot = '';
  private heardAt = 0; // when a poll and its read last succeeded

  constructor(
    private readonly changes: ChangesService,
    private readonly adapterHost: HttpAdapterHost,
    markers: ChangeMarkers,
    metrics: Metrics,
  ) {
    // the list's 304 answers from memory while this replica hears every commit
    markers.follow(this);
    this.onUnitChanged((unitCode) => markers.heard(unitCode));
    metrics.registerGauge('apkt_change_feed_streams', "Open change-feed streams (SSE) of this replica", [], () => Promise.resolve([{ value: this.streams }]));
    metrics.registerGauge('apkt_change_feed_lag_seconds', "Seconds since this replica's feed reader last heard the database (a poll and its read; about 0.2 when healthy)", [], () =>
      Promise.resolve([{ value: this.heardAt ? (Date.now() - this.heardAt) / 1000 : 0 }]),
    );
  }

  onModuleInit(): void {
    // Open streams would hold the HTTP server's close forever: end them before it closes.
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    fastify?.addHook('preClose', (done) => {
      this.stopped = true; // the service is stopping: no more polls (that would re-add the watcher)
      this.endAll();
      done();
    });
  }

  onApplicationBootstrap(): void {
    this.heartbeat = setInterval(() => this.beat(), HEARTBEAT_MS);
    this.heartbeat.unref();
    this.poller = setInterval(() => void this.poll(), POLL_MS);
    this.poller.unref();
  }

  async onModuleDestroy(): Promise<void> {
    this.stopped = true;
    if (this.heartbeat) clearInterval(this.heartbeat);
    if (this.poller) clearInterval(this.poller);
    this.endAll();
    await this.draining;
  }

  /** Whether this replica hears every commit now (the list's 304 cache relies on it). */
  get hearing(): boolean {
    return Date.now() - this.heardAt < 3 * POLL_MS;
  }

  /** Called with each changed ticket's unit code (null: anything may have changed, e.g. after a failed read). */
  onUnitChanged(listener: (unitCode: string | null) => void): void {
    this.unitListeners.push(listener);
  }

  /** Adds a stream at `start`; everything after it is sent, then each change as it commits. Returns its stop. */
  subscribe(start: Position, client: StreamClient): () => void {
    const key = keyOf(start);
    const group = this.groups.get(key) ?? { position: start, clients: new Set<StreamClient>() };
    group.clients.add(client);
    this.groups.set(key, group);
    this.groupOf.set(client, group);
    void this.drain();
    return () => {
      const current = this.groupOf.get(client);
      this.groupOf.delete(client);
      if (!current) return;
      current.clients.delete(client);
      if (!current.clients.size && this.groups.get(keyOf(current.position)) === current) this.groups.delete(keyOf(current.position));
    };
  }

  get streams(): number {
    let n = 0;
    for (const g of this.groups.values()) n += g.clients.size - (g.clients.has(WATCHER) ? 1 : 0);
    return n;
  }

  /** The heartbeat comment to every stream (every HEARTBEAT_MS; tests call it instead of waiting). */
  beat(): void {
    for (const group of this.groups.values()) for (const client of group.clients) client.write(': heartbeat\n\n');
  }

  /** Reads what committed since the groups' positions and sends it; one drain at a time, re-run if asked meanwhile. */
  drain(): Promise<void> {
    if (this.draining) {
      this.again = true;
      return this.draining;
    }
    this.draining = (async () => {
      try {
        do {
          this.again = false;
          await this.drainOnce();
        } while (this.again && !this.stopped);
      } catch (error) {
        this.deaf();
        // the database going away is expected and retried (issue 14): a warning, not an error
        logFault(databaseFault(error) !== undefined, (level) => this.logger[level]({ err: error }, 'reading the change feed failed; the next poll retries'));
      } finally {
        this.draining = null;
      }
    })();
    return this.draining;
  }

  private async drainOnce(): Promise<void> {
    // Only the groups that exist now: the snapshot taken below is then later than each of their
    // positions, so a window never closes before it opens. Groups that join meanwhile wait for the next pass.
    const members = new Set(this.groups.values());
    let shared: string | undefined; // the snapshot every complete group's next window closes at
    for (;;) {
      const due = [...this.groups.values()].filter((g) => members.has(g) && g.clients.size && (g.position.end !== null || g.position.prev !== shared));
      if (!due.length || this.stopped) return;
      if (shared === undefined && due.some((g) => g.position.end === null)) shared = await this.changes.snapshot();
      for (const group of due) await this.advance(group, shared);
    }
  }

  private async advance(group: Group, shared: string | undefined): Promise<void> {
    // The watcher alone writes nowhere: it needs each changed ticket's unit, not the ticket.
    const watcherOnly = group.clients.size === 1 && group.clients.has(WATCHER);
    const page = watcherOnly ? await this.changes.keyPage(group.position, BATCH, shared) : await this.changes.page(group.position, null, BATCH, shared);
    for (const unitCode of new Set(page.rows.map((r) => r.ticket.unitCode))) for (const listener of this.unitListeners) listener(unitCode);
    if (!watcherOnly) {
      (page as WindowPage).rows.forEach((row, i) => {
        const view = ticketView(row.ticket);
        const chunk = `id: ${this.changes.codec.encode(page.positions[i])}\nevent: ticket\ndata: ${JSON.stringify(view)}\n\n`;
        for (const client of group.clients)
          if (client.follows === undefined || client.follows(view.unitCode)) {
            client.write(chunk);
            client.sent?.(view);
          }
      });
    }
    if (this.groups.get(keyOf(group.position)) === group) this.groups.delete(keyOf(group.position));
    group.position = page.next;
    const met = this.groups.get(keyOf(group.position));
    if (!met) this.groups.set(keyOf(group.position), group);
    else
      for (const client of group.clients) {
        met.clients.add(client);
        this.groupOf.set(client, met);
      }
  }

  private endAll(): void {
    for (const group of this.groups.values()) for (const client of group.clients) client.end();
    this.groups.clear();
    this.groupOf.clear();
  }

  /** One poll: a snapshot, and a read of the feed only when it changed since the last. */
  async poll(): Promise<void> {
    if (this.polling || this.stopped) return;
    this.polling = true;
    try {
      // this replica's own reader: the list's markers learn of each unit's changes even with no stream open
      if (!this.groupOf.has(WATCHER)) {
        this.subscribe(await this.changes.now(), WATCHER);
        // A marker remembered before the watcher's start may predate a commit the watcher will never
        // read (it reads from its start on): forget them all, or the list's 304 outlives that commit.
        for (const listener of this.unitListeners) listener(null);
      }
      const snapshot = await this.changes.snapshot();
      if (snapshot !== this.lastSnapshot) {
        this.lastSnapshot = snapshot;
        await this.drain();
      }
      if (this.lastSnapshot === snapshot) this.heardAt = Date.now(); // a failed drain cleared it
    } catch (error) {
      this.deaf();
      logFault(databaseFault(error) !== undefined, (level) => this.logger[level]({ err: error }, 'polling the change feed failed; the next poll retries'));
    } finally {
      this.polling = false;
    }
  }

  /** A poll or read failed: the markers may have missed a commit, and the next poll reads again. */
  private deaf(): void {
    this.heardAt = 0;
    this.lastSnapshot = '';
    for (const listener of this.unitListeners) listener(null);
  }
}

/** The replica's own client of the feed; it writes nowhere. */
const WATCHER: StreamClient = { follows: undefined, write: () => undefined, end: () => undefined };
