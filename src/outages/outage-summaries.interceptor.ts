import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import { from, mergeMap, type Observable } from 'rxjs';
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
export class OutageSummariesInterceptor implements NestInterceptor {
  constructor(
    private readonly prisma: PrismaService,
    private readonly repository: OutagesRepository,
  ) {}

  intercept(_: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle().pipe(mergeMap((body: unknown) => from(this.fill(body))));
  }

  private async fill(body: unknown): Promise<unknown> {
    const slots: Slot[] = [];
    collect(body, slots, 0);
    if (!slots.length) return body;
    const ids = [...new Set(slots.map((s) => s.id))];
    const outages = await this.repository.summaries(this.prisma, ids);
    const byId = new Map(outages.map((o) => [o.id, outageSummary(o)]));
    for (const slot of slots) slot.parent[slot.key] = byId.get(slot.id) ?? null;
    return body;
  }
}
