import { Injectable } from '@nestjs/common';
import { PoliciesService } from '../sla/policies';
import { resolvePolicy } from '../sla/policy.rules';
import { SYSTEM_ACTOR } from './history';
import { customerOf } from './ticket.types';
import { type OldestDue, TicketJobsRepository } from './ticket-jobs.repository';
import { TicketsService } from './tickets.service';

// The tickets' side of the scheduled jobs (R-J1, R-J2, R-J3). Each call handles one batch of due
// tickets in one transaction: the due rows are claimed with FOR UPDATE SKIP LOCKED, so replicas running
// the same job at the same moment split the work and never act on a ticket twice, and a crash rolls
// the whole batch back for the next run. The due conditions match the partial indexes of the first
// migration, so a batch costs what is due, not the table's size. `now` is the injected clock's time.
@Injectable()
export class TicketJobsService {
  constructor(
    private readonly tickets: TicketsService,
    private readonly repository: TicketJobsRepository,
    private readonly policies: PoliciesService,
  ) {}

  /**
   * For the operators' gauges: the oldest due item of each job (null when nothing is due), and the open
   * tickets already over their SLA.
   */
  oldestDue(now: Date): Promise<OldestDue> {
    return this.repository.oldestDue(now);
  }

  openByUnit(): Promise<{ unit: string; open: number; overSla: number }[]> {
    return this.repository.openByUnit();
  }

  openOverSla(): Promise<number> {
    return this.repository.openOverSla();
  }

  /** R-J1: SELESAI whose confirmation window has passed (at the deadline is outside, R-C1) → DITUTUP / NO_CONFIRMATION. */
  async autoCloseBatch(now: Date, batch: number): Promise<number> {
    const n = await this.repository.autoCloseBatch(now, batch);
    if (n) this.tickets.changedOutsideWrite();
    return n;
  }

  /**
   * R-J3: open tickets whose SLA deadline is at or before now → overSla and R-M1's slaBreachedAt, with an
   * SLA_BREACHED event, a new updatedAt and lastEventAt (so no client occurredAt lands before the event).
   * The open statuses are OPEN's, written as literals so the planner matches tickets_sla_due_idx
   * (open-statuses.spec.ts).
   */
  async markSlaBreachesBatch(now: Date, batch: number): Promise<number> {
    const n = await this.repository.markSlaBreachesBatch(now, batch);
    if (n) this.tickets.changedOutsideWrite();
    return n;
  }

  /**
   * R-J2: a Keluhan still LAPOR more than its policy's autoTransferMinutes after reportedAt becomes a new
   * Gangguan (reported now, SLA from the Gangguan policy); the Keluhan becomes BATAL / AUTO_TRANSFER, linked both ways.
   */
  async autoTransferBatch(now: Date, batch: number): Promise<number> {
    return this.tickets.write(async (tx) => {
      const due = await this.repository.claimDueTransfers(tx, now, batch);
      const policies = due.length ? await this.policies.ofKind(tx, 'KELUHAN') : [];
      for (const keluhan of due) {
        // R-J2: the Gangguan's problem type is the policy's setting (seeded KOMPOR_INDUKSI); a policy
        // that transfers without naming one keeps the Keluhan's problem type
        const policy = resolvePolicy(policies, keluhan);
        const gangguan = await this.tickets.insert(
          tx,
          {
            kind: 'GANGGUAN',
            unitCode: keluhan.unitCode,
            channel: keluhan.channel,
            customer: customerOf(keluhan),
            problemType: policy?.autoTransferProblemType ?? keluhan.problemType,
            subType: null,
            woType: 'AUTODISPATCH',
            description: `DIALIHKAN OTOMATIS DARI KELUHAN ${keluhan.number}: ${keluhan.description}`,
            urgent: keluhan.urgent,
            reportedAt: now,
            status: 'LAPOR',
            transferredFromNumber: keluhan.number,
            eventNote: `Dialihkan otomatis dari Keluhan ${keluhan.number}`,
          },
          SYSTEM_ACTOR,
          now,
        );
        await this.tickets.change(
          tx,
          keluhan,
          { status: 'BATAL', cancelReason: 'AUTO_TRANSFER', transferredToNumber: gangguan.number, successorNumber: gangguan.number, closedAt: now }, // R-R10
          [{ type: 'AUTO_TRANSFERRED', toStatus: 'BATAL', note: `Tidak direspon lebih dari batas waktu: dialihkan ke Gangguan ${gangguan.number}` }],
          SYSTEM_ACTOR,
          now,
          now,
        );
      }
      return due.length;
    });
  }
}
