import { Inject, Injectable } from '@nestjs/common';
import type { Tx } from '../database/prisma.service';
import { Clock } from '../clock/clock';
import { invalidInput } from '../common/domain.exception';
import { UUID } from '../common/list-query';
import { APP_CONFIG, type AppConfig } from '../config/config';
import { UnitsService } from '../units/units';
import { registrationProblem, WebhookResolver } from './delivery';
import { Dispatcher } from './dispatcher';
import { digestMail, ERASED_AREA } from './digest.rules';
import { OutboundErrorCode, OutboundException } from './outbound.exception';
import { OutboundRepository } from './outbound.repository';
import { type OutboundMessageAnswer, messageView, type WebhookAnswer, webhookView, webhookWithSecretView } from './outbound.view';
import { newSecret } from './signing';
import { urlProblem } from './ssrf.rules';

export interface WebhookInput {
  url?: string;
  description?: string | null;
  eventTypes?: string[];
  unitCodes?: string[];
  enabled?: boolean;
}

/** R-W3: how long the secret before a rotation still signs. */
const PREVIOUS_SECRET_MS = 24 * 3600_000;

/** R-W1, R-W3, R-W5, R-W6: webhook endpoints and their messages. */
@Injectable()
export class WebhooksService {
  constructor(
    private readonly repository: OutboundRepository,
    private readonly resolver: WebhookResolver,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly dispatcher: Dispatcher,
    private readonly units: UnitsService,
  ) {}

  /**
   * R-P3, R-P4: inside an erasure's transaction, the stored messages of these tickets lose the personal
   * data too — webhook payloads, and the over-SLA digests listing them, whose area (the customer's
   * address, §18) is rendered again as ERASED_AREA.
   */
  async erasePersonalData(tx: Tx, numbers: string[], escalationIds: string[] = []): Promise<number> {
    const messages = await this.repository.erasePersonalData(tx, numbers, escalationIds);
    const erased = new Set(numbers);
    const digests = await this.repository.digestsListing(tx, numbers);
    for (const digest of digests) {
      const lines = digest.lines.map((l) => (erased.has(l.number) ? { ...l, area: ERASED_AREA } : l));
      const { text, html } = digestMail(digest.unitCode, lines);
      await this.repository.rewriteDigest(tx, digest.id, { text, html, lines });
    }
    return messages + digests.length;
  }

  /** R-W6: 400 naming `url` for a URL that is not https or whose host resolves inside (a name that does not resolve is checked again at each delivery). */
  private async checkUrl(raw: string): Promise<void> {
    const allowed = this.config.webhookAllowedHosts ?? [];
    const problem = urlProblem(raw, allowed) ?? (await registrationProblem(this.resolver, new URL(raw), allowed));
    if (problem) throw invalidInput('url', problem.startsWith('url') ? problem : `url refused: ${problem}`);
  }

  /**
   * R-W1: the event types are the listed ones or `["*"]` alone (API.md: `[string] | ["*"]`), and the
   * units registered ones (any level, R-H3), as an outage's unit must be: 400 naming the field.
   */
  private async checkSubscription(input: WebhookInput): Promise<void> {
    if (input.eventTypes && input.eventTypes.includes('*') && input.eventTypes.length > 1) throw invalidInput('eventTypes', 'eventTypes is ["*"] (every type) or a list of types, not both');
    for (const code of new Set(input.unitCodes ?? [])) {
      if (!(await this.units.find(code))) throw invalidInput('unitCodes', `unit ${code} is not registered`);
    }
  }

  async create(input: Required<Pick<WebhookInput, 'url' | 'eventTypes'>> & WebhookInput): Promise<WebhookAnswer> {
    await this.checkSubscription(input);
    await this.checkUrl(input.url);
    const now = this.clock.now();
    const secret = newSecret();
    const created = await this.repository.createWebhook({
      url: input.url, description: input.description ?? null, eventTypes: input.eventTypes, unitCodes: input.unitCodes ?? [],
      secret, createdAt: now, updatedAt: now,
    });
    this.dispatcher.endpointsChanged();
    return webhookWithSecretView(created, secret);
  }

  async list(): Promise<{ items: WebhookAnswer[] }> {
    return { items: (await this.repository.listWebhooks()).map((w) => webhookView(w)) };
  }

  async get(id: string): Promise<WebhookAnswer> {
    return webhookView(await this.found(id));
  }

  async update(id: string, input: WebhookInput): Promise<WebhookAnswer> {
    await this.found(id);
    await this.checkSubscription(input);
    if (input.url !== undefined) await this.checkUrl(input.url);
    const updated = await this.repository.updateWebhook(id, {
      ...(input.url !== undefined ? { url: input.url } : {}),
      ...(input.description !== undefined ? { description: input.description } : {}),
      ...(input.eventTypes !== undefined ? { eventTypes: input.eventTypes } : {}),
      ...(input.unitCodes !== undefined ? { unitCodes: input.unitCodes } : {}),
      // R-W4: enabling again clears why it was disabled and starts the 5 days afresh
      ...(input.enabled !== undefined ? { enabled: input.enabled, disabledReason: input.enabled ? null : 'disabled by an admin', failingSince: null } : {}),
      updatedAt: this.clock.now(),
    });
    if (updated.enabled) this.dispatcher.endpointsChanged();
    return webhookView(updated);
  }

  async remove(id: string): Promise<void> {
    if (!UUID.test(id) || !(await this.repository.deleteWebhook(id))) throw this.notFound();
  }

  /** R-W3: a new secret; the old one also signs for 24 h. */
  async rotate(id: string): Promise<WebhookAnswer> {
    const current = await this.found(id);
    const now = this.clock.now();
    const secret = newSecret();
    const updated = await this.repository.updateWebhook(id, {
      secret, previousSecret: current.secret, previousSecretUntil: new Date(now.getTime() + PREVIOUS_SECRET_MS), updatedAt: now,
    });
    return webhookWithSecretView(updated, secret);
  }

  async messages(id: string, statuses: string[] | undefined, beforeSeq: bigint | undefined, limit: number): Promise<{ items: OutboundMessageAnswer[]; nextSeq: bigint | null }> {
    await this.found(id);
    const rows = await this.repository.listMessages(id, statuses, beforeSeq, limit);
    const page = rows.slice(0, limit);
    return { items: page.map(messageView), nextSeq: rows.length > limit ? page[page.length - 1].seq : null };
  }

  /** R-W5: the message queued again at once, under its own id. */
  async resend(id: string, messageId: string): Promise<OutboundMessageAnswer> {
    await this.found(id);
    const message = await this.repository.requeue(id, messageId, this.clock.now());
    if (!message) throw new OutboundException(OutboundErrorCode.MESSAGE_NOT_FOUND, 'Message not found');
    return messageView(message);
  }

  /** R-W5: every message of the endpoint since a time, queued again. */
  async replay(id: string, since: Date): Promise<{ queued: number }> {
    await this.found(id);
    return { queued: await this.repository.replay(id, since, this.clock.now()) };
  }

  /** An id that is not a UUID names no endpoint: 404, never a query the database refuses (a 500). */
  private async found(id: string) {
    const webhook = UUID.test(id) ? await this.repository.findWebhook(id) : null;
    if (!webhook) throw this.notFound();
    return webhook;
  }

  private notFound(): OutboundException {
    return new OutboundException(OutboundErrorCode.WEBHOOK_NOT_FOUND, 'Webhook not found');
  }
}
