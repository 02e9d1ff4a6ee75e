import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '../auth/roles';
import { Clock } from '../clock/clock';
import { iso } from '../common/iso';
import { phoneKey } from '../common/phone';
import { APP_CONFIG, type AppConfig } from '../config/config';
import type { Tx } from '../database/prisma.service';
import { WebhooksService } from '../outbound/webhooks.service';
import { EscalationService } from '../escalation/escalation.service';
import { type IdempotentRequest, scrubbedStoredAnswer } from '../http/idempotency';
import { rewriteStoredAnswer, storedAnswersNaming } from '../http/idempotency.repository';
import { ItsmService } from '../itsm/itsm.service';
import { ListriquService } from '../listriqu/listriqu.service';
import { type Actor, SYSTEM_ACTOR } from '../tickets/history';
import { isOpen } from '../tickets/rules/lifecycle.rule';
import { type HeldTicket, TicketPersonalDataService } from '../tickets/ticket-personal-data.service';
import { TicketSearchService } from '../tickets/ticket-search.service';
import { ticketView } from '../tickets/ticket.view';
import { TicketsService } from '../tickets/tickets.service';
import { AccessLog } from '../personal-data-access/access-log';
import { AccessLogRepository } from '../personal-data-access/access-log.repository';
import { PrivacyErrorCode, PrivacyException } from './privacy.exception';
import { accessCursor, type AccessLogQuery, type CustomerIdentifier } from './privacy.query';
import { PrivacyRepository } from './privacy.repository';
import type { AccessLogPage, ErasureAnswer, PersonalDataExport } from './privacy.view';
import { ERASED, identifierPattern, scrub, scrubber, subjectOfTicket, scrubPattern, type Subject } from './scrub.rule';

/** An export reads everything; a customer with more tickets than this is a data error worth a look. */
const EXPORT_LIMIT = 10_000;
const DAY = 86_400_000;

export type { ErasureAnswer, PersonalDataExport };

const distinct = (values: (string | null | undefined)[]) => [...new Set(values.filter((v): v is string => !!v))];
const keyOf = (who: CustomerIdentifier) => ('idPel' in who ? { idPel: who.idPel } : { phoneKey: who.phoneKey });

/** A ticket's phone as lookups and the access log key it (normalised), or null. */
const phoneKeyOf = (t: HeldTicket) => (t.phone && /\d/.test(t.phone) ? phoneKey(t.phone) : null);

/** A ticket's number and its customer's identifiers as the access log holds them (the phone normalised). */
const attributed = (t: HeldTicket) => ({ number: t.number, idPel: t.idPel, phoneKey: phoneKeyOf(t) });

// DOMAIN.md §18 (R-P1…R-P4): a customer's data on request, its erasure, who saw it, and retention. Every
// table is reached through its owner's service; one erasure is one transaction (TicketsService.write).
@Injectable()
export class PrivacyService {
  constructor(
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly clock: Clock,
    private readonly tickets: TicketsService,
    private readonly personal: TicketPersonalDataService,
    private readonly search: TicketSearchService,
    private readonly orders: ListriquService,
    private readonly itsm: ItsmService,
    private readonly escalations: EscalationService,
    private readonly webhooks: WebhooksService,
    private readonly repository: PrivacyRepository,
    private readonly accessLog: AccessLog,
    private readonly accessLogs: AccessLogRepository,
  ) {}

  /** R-P2: everything held about the customer, one document. */
  async export(who: CustomerIdentifier): Promise<PersonalDataExport> {
    // the tickets holding the identifier and those linked to them (a shared ID Pel, meter or phone): what an erasure takes
    const tickets = await this.search.linkedTo(keyOf(who), EXPORT_LIMIT);
    const numbers = tickets.map((t) => t.number);
    const idPels = distinct(['idPel' in who ? who.idPel : null, ...tickets.map((t) => t.customerIdPel)]);
    const [events, orders, itsmReferences, ticketEscalations] = await Promise.all([
      this.personal.eventsOf(numbers),
      this.orders.ordersWithLocationOf(numbers, EXPORT_LIMIT),
      this.itsm.ofCustomer(numbers, idPels, EXPORT_LIMIT),
      this.escalations.ofTickets(numbers, EXPORT_LIMIT),
    ]);
    // a request callback naming no ticket holds the customer only in its note: found by their identifiers
    const found = identifierPattern({
      phones: ['phone' in who ? who.phone : null, ...tickets.map((t) => t.customerPhone), ...itsmReferences.map((r) => r.customer.phone)],
      idPels: ['idPel' in who ? who.idPel : null, ...tickets.map((t) => t.customerIdPel)],
      meterNumbers: tickets.map((t) => t.customerMeterNumber),
      emails: itsmReferences.map((r) => r.email),
    });
    const escalations = [...ticketEscalations, ...(await this.escalations.ticketlessOf(found, EXPORT_LIMIT))];
    return {
      subject: {
        idPel: 'idPel' in who ? who.idPel : null,
        phone: 'phone' in who ? who.phone : null,
        names: distinct([...tickets.map((t) => t.customerName), ...itsmReferences.map((r) => r.customer.name)]),
        phones: distinct([...tickets.map((t) => t.customerPhone), ...itsmReferences.map((r) => r.customer.phone)]),
        idPels: distinct([...tickets.map((t) => t.customerIdPel), ...itsmReferences.map((r) => r.customer.idPel)]),
        meterNumbers: distinct(tickets.map((t) => t.customerMeterNumber)),
        addresses: distinct([...tickets.map((t) => t.customerAddress), ...orders.map((o) => o.address)]),
        emails: distinct(itsmReferences.map((r) => r.email)),
      },
      exportedAt: iso(this.clock.now()) as string,
      tickets: tickets.map((t) => ({ ...ticketView(t), events: events.get(t.number) ?? [] })),
      orders,
      itsmReferences,
      escalations,
    };
  }

  /**
   * R-P3: erases the customer's personal data in every table at once (one transaction), or refuses with
   * 409 naming the tickets still in handling. The record keeps who, when, why and how many rows only.
   */
  async erase(who: CustomerIdentifier, reason: string, caller: Caller, idempotent?: IdempotentRequest): Promise<ErasureAnswer> {
    const now = this.clock.now();
    const actor: Actor = { sub: caller.sub, role: caller.role };
    await this.accessLog.flush(); // what was shown a moment ago is attributed below too (R-P1)
    return this.tickets.write(async (tx) => {
      const held = await this.personal.lockCustomer(tx, keyOf(who));
      const numbers = held.map((t) => t.number);
      // R-P3: the tickets still open (R-T4: LAPOR … PENGERJAAN, DIPROSES) hold the erasure back; NYALA and
      // SELESAI (neither open nor done), the terminal ones and their ListriQu orders do not
      const unfinished = held.filter((t) => isOpen(t.status as never)).map((t) => t.number).sort();
      if (unfinished.length) {
        throw new PrivacyException(
          PrivacyErrorCode.UNFINISHED_TICKETS,
          `The customer's tickets ${unfinished.join(', ')} are still open; erase once they have left handling (R-P3)`,
          unfinished.map((n) => ({ field: 'tickets', message: n })),
        );
      }
      // the ITSM references of the same customer: by the ID Pels and phones of every linked ticket too
      const references = await this.itsm.heldReferences(tx, {
        numbers,
        idPels: distinct(['idPel' in who ? who.idPel : null, ...held.map((t) => t.idPel)]),
        phoneKeys: distinct(['phoneKey' in who ? who.phoneKey : null, ...held.map(phoneKeyOf)]),
        onlyDone: false,
      });
      const subject: Subject = {
        names: [...held.map((t) => t.name), ...references.map((r) => r.name)],
        phones: [...held.map((t) => t.phone), ...references.map((r) => r.phone), 'phone' in who ? who.phone : null],
        idPels: [...held.map((t) => t.idPel), ...references.map((r) => r.idPel), 'idPel' in who ? who.idPel : null],
        meterNumbers: held.map((t) => t.meterNumber),
        emails: references.map((r) => r.email),
        addresses: held.map((t) => t.address),
      };
      const pattern = scrubPattern(subject);
      await this.accessLogs.attribute(tx, held.map(attributed)); // R-P1: who saw them stays answerable
      // request callbacks naming no ticket: found by the customer's identifiers, never by a name alone
      const ticketless = await this.escalations.eraseTicketless(tx, identifierPattern(subject), pattern);
      const records = (await this.eraseAll(tx, numbers, pattern, references.map((r) => r.id), actor, now, ticketless)) + ticketless.length;
      return this.record(tx, { actor, reason, records, now });
    }, idempotent);
  }

  /**
   * R-P4: one batch of the retention job — done tickets whose personal data is older than
   * PERSONAL_DATA_RETENTION_DAYS, erased ticket by ticket with each ticket's own identifiers. One
   * instance at a time takes a batch (a transaction-scoped advisory lock; the others find 0 and wait for
   * their next run), a crash rolls back only its batch, and a ticket changed since it was read is left
   * for the next batch (its version is checked). Returns how many tickets were erased.
   */
  async retentionBatch(now: Date, batch: number): Promise<number> {
    const days = this.config.personalDataRetentionDays ?? 730;
    const cutoff = new Date(now.getTime() - days * DAY);
    return this.tickets.write(async (tx) => {
      if (!(await this.personal.retentionLock(tx))) return 0;
      const due = await this.personal.retentionDue(tx, cutoff, batch);
      if (!due.length) return 0;
      // each ticket's own identifiers: scrubbed here by a scanner, not by a pattern per ticket that the
      // database would compile (scrub.rule.ts `scrubber`); escalations keep the pattern (few rows)
      // (no access-log attribution here, unlike erase(): 2,000 tickets against a year of log partitions
      // took 3 s warm and 75-115 s cold in a measurement, inside this batch's transaction; docs/privacy.md)
      const subjects = new Map(due.map((t: HeldTicket) => [t.number, subjectOfTicket(t)]));
      const tickets = await this.personal.eraseScrubbing(tx, due, (number) => scrubber(subjects.get(number)!), SYSTEM_ACTOR, now);
      const numbers = tickets.erased;
      if (!numbers.length) return 0;
      const references = await this.itsm.heldReferences(tx, { numbers, idPels: [], phoneKeys: [], onlyDone: true });
      const related = await this.eraseRelated(
        tx,
        numbers,
        (n) => scrubPattern(subjects.get(n)!),
        references.map((r) => r.id),
        references.map((r) => scrubPattern({ names: [r.name], phones: [r.phone], idPels: [r.idPel], meterNumbers: [], emails: [r.email], addresses: [] })),
        now,
      );
      await this.record(tx, { actor: SYSTEM_ACTOR, reason: `R-P4 retention: done more than ${days} days ago`, records: tickets.tickets + tickets.notes + related, now });
      return numbers.length;
    });
  }

  /** When the oldest ticket R-P4 has not erased yet became due (done + retention days), or null when none is due. */
  async retentionDueSince(now: Date): Promise<Date | null> {
    const oldest = await this.personal.oldestHeldDone();
    if (!oldest) return null;
    const due = new Date(oldest.getTime() + (this.config.personalDataRetentionDays ?? 730) * DAY);
    return due <= now ? due : null;
  }

  /** R-P1's own retention, and the day partitions ahead; once per job run. */
  async maintainAccessLog(now: Date): Promise<{ created: number; dropped: number }> {
    const keep = this.config.personalDataAccessLogDays ?? 365;
    const created = await this.accessLogs.ensurePartitions(new Date(now.getTime() - DAY), new Date(now.getTime() + 7 * DAY));
    const dropped = await this.accessLogs.dropBefore(new Date(now.getTime() - keep * DAY));
    return { created, dropped };
  }

  /** R-P1: who saw this customer's data, or what this person saw; newest first. */
  async accessLogOf(query: AccessLogQuery): Promise<AccessLogPage> {
    await this.accessLog.flush(); // what was shown a moment ago is in the answer
    const who = query.who;
    const subject =
      'sub' in who
        ? { sub: who.sub }
        : { ...keyOf(who), numbers: (await this.search.ofCustomer(keyOf(who), EXPORT_LIMIT)).map((t) => t.number) };
    // R-P1: kept PERSONAL_DATA_ACCESS_LOG_DAYS to the minute, though the job drops whole days (its partitions) only once they are past
    const kept = new Date(this.clock.now().getTime() - (this.config.personalDataAccessLogDays ?? 365) * DAY);
    const from = query.from && query.from > kept ? query.from : kept;
    const rows = await this.accessLogs.query({ who: subject as never, from, to: query.to, before: query.before, limit: query.limit + 1 });
    const page = rows.slice(0, query.limit);
    return {
      items: page.map((r) => ({ at: iso(r.at), sub: r.sub, role: r.role, endpoint: r.endpoint, requestId: r.requestId, ticketNumbers: r.ticketNumbers })),
      nextCursor: rows.length > query.limit ? accessCursor(page[page.length - 1]) : null,
    };
  }

  /** R-P3: the customer's tickets and what other modules hold of them, everything scrubbed with the customer's one pattern. */
  private async eraseAll(tx: Tx, numbers: string[], pattern: string | null, referenceIds: string[], actor: Actor, now: Date, escalationIds: string[]): Promise<number> {
    const tickets = await this.personal.erase(tx, numbers, numbers.map(() => pattern), actor, now);
    const answers = await this.scrubStoredAnswers(tx, numbers, pattern, now);
    return tickets.tickets + tickets.notes + answers + (await this.eraseRelated(tx, numbers, () => pattern, referenceIds, referenceIds.map(() => pattern), now, escalationIds));
  }

  /**
   * R-P3: the answers kept for Idempotency-Key replays (24 h) that name these tickets lose the customer's
   * data too: a replay gives the first status and the answer's shape, with ERASED where the data was.
   * Only the erasure an admin asks for: the retention job's tickets are years older than any kept answer.
   */
  private async scrubStoredAnswers(tx: Tx, numbers: string[], pattern: string | null, now: Date): Promise<number> {
    if (pattern === null) return 0;
    let rewritten = 0;
    for (const row of await storedAnswersNaming(tx, numbers, now)) {
      // a text that was the customer's data and nothing else (a name, a phone) becomes null, as the erased ticket holds it
      const scrubbed = scrubbedStoredAnswer(row.responseBody, (text) => {
        const left = scrub(text, pattern) ?? text;
        return left === ERASED ? null : left;
      });
      if (scrubbed === row.responseBody) continue;
      await rewriteStoredAnswer(tx, row.key, scrubbed);
      rewritten++;
    }
    return rewritten;
  }

  /** What other modules hold of the erased tickets' customers: escalations, ListriQu orders, IT references, stored webhook messages. */
  private async eraseRelated(tx: Tx, numbers: string[], patternOf: (number: string) => string | null, referenceIds: string[], referencePatterns: (string | null)[], now: Date, escalationIds: string[] = []): Promise<number> {
    const escalations = await this.escalations.erasePersonalData(tx, numbers, patternOf);
    const orders = await this.orders.erasePersonalData(tx, numbers, now);
    const references = await this.itsm.erasePersonalData(tx, referenceIds, referencePatterns, now);
    await this.webhooks.erasePersonalData(tx, numbers, escalationIds); // after the rows: the stored messages take their erased form
    return escalations + orders + references;
  }

  private async record(tx: Tx, e: { actor: Actor; reason: string; records: number; now: Date }): Promise<ErasureAnswer> {
    const row = await this.repository.recordErasure(tx, { id: randomUUID(), erasedAt: e.now, bySub: e.actor.sub, byRole: e.actor.role, reason: e.reason, records: e.records });
    return { id: row.id, erasedAt: iso(row.erasedAt), by: row.bySub, reason: row.reason, records: row.records };
  }
}
