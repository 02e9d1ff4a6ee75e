import { Injectable } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import { PrismaService } from '../database/prisma.service';
import { PendingOutage } from '../tickets/ticket.view';
import { outageSummary } from './outage.view';
import { OutagesRepository } from './outages.repository';

type Slot = { parent: Record<string, unknown>; key: string; id: string };

function collect(value: unknown, slots: Slot[], depth: number): void {
  if (depth > 6 || value === null || typeof value !== 'object') return;
  if (Array.isArray(value)) {
    for (const item of value) collect(item, slots, depth + 1);
    return;
  }
  const object = value as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    const child = object[key];
    if (child instanceof PendingOutage) slots.push({ parent: object, key, id: child.id });
    else if (child !== null && typeof child === 'object') collect(child, slots, depth + 1);
  }
}

/**
 * R-O2: an attached ticket's answer shows its outage (id, title, status, etr). Ticket views carry the
 * outage's id only (PendingOutage); this fills them in for every answer, with one query per answer that
 * holds attached tickets and none for the others (the plain create stays one statement).
 */
@Injectable()
export class OutageSummaries {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: OutagesRepository,
  ) {}

  /**
   * Fills every answer's outages before Fastify serialises it: a callback hook that returns at once when
   * the answer holds none (issue 30: as a global Nest interceptor it cost every request an
   * AsyncResource.bind, an rxjs pipe and a promise, about 2 % of the service's CPU under the write bursts).
   * A failed read goes to the error handler, which answers problem+json.
   */
  register(fastify: FastifyInstance): void {
    fastify.addHook('preSerialization', (_request, _reply, payload, done) => {
      const slots: Slot[] = [];
      collect(payload, slots, 0);
      if (!slots.length) return done(null, payload);
      this.fill(slots).then(
        () => done(null, payload),
        (error: Error) => done(error),
      );
    });
  }

  private async fill(slots: Slot[]): Promise<void> {
    const ids = [...new Set(slots.map((s) => s.id))];
    const outages = await this.repository.summaries(this.prisma, ids);
    const byId = new Map(outages.map((o) => [o.id, outageSummary(o)]));
    for (const slot of slots) slot.parent[slot.key] = byId.get(slot.id) ?? null;
  }
}
