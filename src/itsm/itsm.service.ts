import { Injectable } from '@nestjs/common';
import type { Reader } from '../database/read-router';
import { Clock } from '../clock/clock';
import { PrismaService, Tx } from '../database/prisma.service';
import type { ItsmCallType, ItsmStatus } from '../generated/prisma/client';
import { CustomerKey, type HeldReference, ItsmRepository } from './itsm.repository';
import { cursorAfter, ItsmFilter } from './itsm.query';
import { toPage, UUID } from '../common/list-query';
import { acceptsChanges, acceptsStatus, afterJobCloseNote, repeatNote, ReportOutcome, reportOutcome, WAITING_CLOSE_MS, WAITING_CLOSE_NOTE, waitingCloseCutoff } from './itsm.rules';
import { ItsmReferenceAnswer, toItsmReferenceView } from './itsm.view';
import { withinWork, type IdempotentRequest } from '../http/idempotency';
import { invalidInput } from '../common/domain.exception';
import { ItsmException, ItsmErrorCode } from './itsm.exception';

/** A PLN Mobile problem the agent forwarded to the service desk (API.md "Create" `appProblem`): what the agent sends; the ITSM ticket's id, call type and e-mail are needed only for a new reference. */
export interface ForwardedReport {
  itsmTicketId?: string;
  callType?: ItsmCallType;
  category: string;
  email?: string;
  customer: { name: string; phone: string; idPel: string | null };
}

const NEW_REFERENCE_FIELDS = ['itsmTicketId', 'callType', 'email'] as const;

const closedRefusal = (id: string) => new ItsmException(ItsmErrorCode.CLOSED, `ITSM reference ${id} is CLOSED and takes no more changes (R-A5)`);

@Injectable()
export class ItsmService {
  constructor(
    private readonly repository: ItsmRepository,
    private readonly prisma: PrismaService,
    private readonly clock: Clock,
  ) {}

  /**
   * R-A2…R-A4 inside the caller's transaction: a new reference, or a note on the customer's open one of
   * the same category. Reports of one customer and category wait for each other until `tx` ends.
   */
  async recordReport(tx: Tx, report: ForwardedReport, sub: string, now: Date): Promise<{ outcome: ReportOutcome; referenceId: string }> {
    const who: CustomerKey = { idPel: report.customer.idPel, phone: report.customer.phone };
    await this.repository.lockCustomerCategory(tx, who, report.category);
    const found = await this.repository.lockForReport(tx, who, report.category);
    const outcome = reportOutcome(found ?? null, report.itsmTicketId ?? '');
    if (outcome.kind === 'REPEAT_OPEN' && found) {
      await this.repository.addNote(tx, found.id, repeatNote(sub), sub, now);
      return { outcome, referenceId: found.id };
    }
    // R-A2 / R-A4: a new reference needs the ITSM ticket the agent created (a repeat while open does not)
    const missing = NEW_REFERENCE_FIELDS.find((f) => report[f] === undefined);
    if (missing) throw invalidInput(`appProblem.${missing}`, `appProblem.${missing} is required for a new ITSM reference (R-A2, R-A4)`);
    const referenceId = await this.repository.insert(tx, {
      ...(report as Required<ForwardedReport>),
      previousItsmTicketId: outcome.kind === 'REPEAT_DONE' ? outcome.previousItsmTicketId : null,
      now,
    });
    return { outcome, referenceId };
  }

  /** Records the Keluhan a report was made on, inside the caller's transaction; the reference as now. */
  async linkTicket(tx: Tx, referenceId: string, ticketNumber: string, now: Date): Promise<ItsmReferenceAnswer> {
    await this.repository.linkTicket(tx, referenceId, ticketNumber, now);
    return this.view(tx, referenceId);
  }

  async list(filter: ItsmFilter): Promise<{ items: ItsmReferenceAnswer[]; nextCursor: string | null }> {
    return toPage(await this.repository.page({ ...filter, limit: filter.limit + 1 }), filter.limit, toItsmReferenceView, cursorAfter);
  }

  async get(id: string): Promise<ItsmReferenceAnswer> {
    if (!UUID.test(id)) throw new ItsmException(ItsmErrorCode.NOT_FOUND, `ITSM reference ${id} not found`);
    return this.view(this.prisma, id);
  }

  /** An agent's note on the reference (the ITSM ticket's "NEW NOTES"). */
  async addNote(id: string, sub: string, note: string, idempotent?: IdempotentRequest): Promise<ItsmReferenceAnswer> {
    return this.change(id, idempotent, async (tx, current, now) => {
      if (!acceptsChanges(current.status)) throw closedRefusal(id);
      await this.repository.addNote(tx, id, note, sub, now);
    });
  }

  /**
   * R-A5: the service desk reports the reference's status; reporting the status it has changes nothing.
   * After R-J5 closed it, the desk's status is applied and noted; after the desk closed it, 409.
   */
  async reportStatus(id: string, status: ItsmStatus, idempotent?: IdempotentRequest): Promise<ItsmReferenceAnswer> {
    return this.change(id, idempotent, async (tx, current, now) => {
      if (!acceptsStatus(current)) throw closedRefusal(id);
      if (current.closedByJob) {
        await this.repository.setStatus(tx, id, status, now);
        await this.repository.addNote(tx, id, afterJobCloseNote(status), 'itsm', now);
      } else if (status !== current.status) {
        await this.repository.setStatus(tx, id, status, now);
      }
    });
  }

  /** R-J5: one batch of references waiting for the customer 5 days without a status change → CLOSED with a note. */
  closeStaleWaitingBatch(now: Date, batch: number): Promise<number> {
    return this.repository.closeWaiting(waitingCloseCutoff(now), now, WAITING_CLOSE_NOTE, batch);
  }

  /** When R-J5's oldest due reference became due (5 days after it began waiting), or null when none is due. */
  async oldestWaitingCloseDue(now: Date): Promise<Date | null> {
    const since = await this.repository.oldestWaitingSince(waitingCloseCutoff(now));
    return since && new Date(since.getTime() + WAITING_CLOSE_MS);
  }

  private async change(
    id: string,
    idempotent: IdempotentRequest | undefined,
    apply: (tx: Tx, current: { status: ItsmStatus; closedByJob: boolean }, now: Date) => Promise<void>,
  ): Promise<ItsmReferenceAnswer> {
    if (!UUID.test(id)) throw new ItsmException(ItsmErrorCode.NOT_FOUND, `ITSM reference ${id} not found`);
    const now = this.clock.now();
    return this.prisma.$transaction((tx) =>
      withinWork(tx, idempotent, async () => {
        const row = await this.repository.lock(tx, id);
        if (!row) throw new ItsmException(ItsmErrorCode.NOT_FOUND, `ITSM reference ${id} not found`);
        await apply(tx, row, now);
        return this.view(tx, id);
      }),
    );
  }

  private async view(client: Tx | PrismaService, id: string): Promise<ItsmReferenceAnswer> {
    const row = await this.repository.find(client, id);
    if (!row) throw new ItsmException(ItsmErrorCode.NOT_FOUND, `ITSM reference ${id} not found`);
    return toItsmReferenceView(row);
  }

  /** R-L1: the ITSM references of a customer (linked to their tickets, or by their ID Pel), newest first. */
  /** `db`: the database the read router picked (R-D1); the primary when not given. */
  async ofCustomer(ticketNumbers: string[], idPels: string[], limit: number, db?: Reader): Promise<ItsmReferenceAnswer[]> {
    if (!ticketNumbers.length && !idPels.length) return [];
    return (await this.repository.ofCustomer(ticketNumbers, idPels, limit, db)).map(toItsmReferenceView);
  }

  /** R-P2…R-P4: the customer's references not yet erased, locked in `tx` (see ItsmRepository.heldReferences). */
  heldReferences(tx: Tx, who: { numbers: string[]; idPels: string[]; phoneKeys: string[]; onlyDone: boolean }): Promise<HeldReference[]> {
    return this.repository.heldReferences(tx, who);
  }

  /** R-P3, R-P4: erases the references' personal data and scrubs their notes, in `tx`; how many rows changed. */
  erasePersonalData(tx: Tx, ids: string[], patterns: (string | null)[], now: Date): Promise<number> {
    return ids.length ? this.repository.erasePersonalData(tx, ids, patterns, now) : Promise.resolve(0);
  }
}
