import { Injectable } from '@nestjs/common';
import { PrismaService } from '../database/prisma.service';
import { Prisma } from '../generated/prisma/client';
import { PoliciesService } from '../sla/policies';
import { resolvePolicy } from '../sla/policy.rules';
import { SYSTEM_ACTOR } from './history';
import { OPEN } from './rules/lifecycle.rule';
import { TicketsRepository } from './tickets.repository';
import { customerOf, TicketsService } from './tickets.service';

// The tickets' side of the scheduled jobs (R-J1, R-J2, R-J3). Each call handles one batch of due
// tickets in one transaction: the due rows are claimed with FOR UPDATE SKIP LOCKED, so replicas running
// the same job at the same moment split the work and never act on a ticket twice, and a crash rolls
// the whole batch back for the next run. The due conditions match the partial indexes of the first
// migration, so a batch costs what is due, not the table's size. `now` is the injected clock's time.
/** R-T4's OPEN as an SQL list of literals, `('LAPOR', …)`: built from constants, never from input. */
export const OPEN_STATUSES_SQL = Prisma.raw(`(${[...OPEN].map((s) => `'${s}'`).join(', ')})`);

/** R-J1's batch as one statement (claim the due rows, close them, write their events); the benchmark's SQL baseline runs it too. */
export function autoCloseStatement(now: Date, batch: number): Prisma.Sql {
  return Prisma.sql`
  WITH due AS (
    SELECT number FROM tickets
    WHERE status = 'SELESAI' AND confirmation_deadline <= ${now}
    ORDER BY confirmation_deadline LIMIT ${batch}
    FOR UPDATE SKIP LOCKED),
  closed AS (
    UPDATE tickets t SET status = 'DITUTUP', close_reason = 'NO_CONFIRMATION', closed_at = ${now},
      version = t.version + 1, updated_at = ${now}, last_event_at = greatest(t.last_event_at, ${now})
    FROM due, units u WHERE t.number = due.number AND u.code = t.unit_code
    RETURNING t.number, t.confirmation_deadline, u.time_zone),
  events AS (
    INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
    SELECT number, 'AUTO_CLOSED', 'SELESAI', 'DITUTUP',
      'Pelanggan tidak konfirmasi sampai ' || local_time_text(confirmation_deadline, time_zone) || ': dianggap telah selesai ditindaklanjuti',
      ${SYSTEM_ACTOR.sub}, ${SYSTEM_ACTOR.role}, ${now}, ${now}
    FROM closed RETURNING 1)
  SELECT count(*)::int AS n FROM events`;
}

@Injectable()
export class TicketJobsService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly tickets: TicketsService,
    private readonly repository: TicketsRepository,
    private readonly policies: PoliciesService,
  ) {}

  /**
   * For the operators' gauges: the oldest due item of each job (null when nothing is due), read through
   * the same partial indexes the jobs claim with, and the open tickets already over their SLA.
   */
  async oldestDue(now: Date): Promise<{ autoClose: Date | null; autoTransfer: Date | null; slaBreach: Date | null }> {
    const [row] = await this.prisma.$queryRaw<{ auto_close: Date | null; auto_transfer: Date | null; sla_breach: Date | null }[]>`
      SELECT
        (SELECT min(confirmation_deadline) FROM tickets WHERE status = 'SELESAI' AND confirmation_deadline <= ${now}) AS auto_close,
        (SELECT min(auto_transfer_at) FROM tickets WHERE status = 'LAPOR' AND auto_transfer_at IS NOT NULL AND auto_transfer_at <= ${now}) AS auto_transfer,
        (SELECT min(sla_deadline) FROM tickets
          WHERE over_sla = false AND status IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES') AND sla_deadline <= ${now}) AS sla_breach`;
    return { autoClose: row.auto_close, autoTransfer: row.auto_transfer, slaBreach: row.sla_breach };
  }

  async openOverSla(): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM tickets WHERE over_sla AND status IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'DIPROSES')`;
    return row.n;
  }

  /** R-J1: SELESAI whose confirmation window has passed (at the deadline is outside, R-C1) → DITUTUP / NO_CONFIRMATION. */
  async autoCloseBatch(now: Date, batch: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>(autoCloseStatement(now, batch));
    if (row.n) this.tickets.changedOutsideWrite();
    return row.n;
  }

  /**
   * R-J3: open tickets whose SLA deadline is at or before now → overSla and R-M1's slaBreachedAt, with an
   * SLA_BREACHED event, a new updatedAt and lastEventAt (so no client occurredAt lands before the event).
   * The open statuses are OPEN's, written as literals so the planner matches tickets_sla_due_idx
   * (open-statuses.spec.ts).
   */
  async markSlaBreachesBatch(now: Date, batch: number): Promise<number> {
    const [row] = await this.prisma.$queryRaw<{ n: number }[]>`
      WITH due AS (
        SELECT number FROM tickets
        WHERE over_sla = false AND status IN ${OPEN_STATUSES_SQL} AND sla_deadline <= ${now}
        ORDER BY sla_deadline LIMIT ${batch}
        FOR UPDATE SKIP LOCKED),
      marked AS (
        UPDATE tickets t SET over_sla = true, sla_breached_at = coalesce(t.sla_breached_at, t.sla_deadline),
          version = t.version + 1, updated_at = ${now}, last_event_at = greatest(t.last_event_at, ${now})
        FROM due, units u WHERE t.number = due.number AND u.code = t.unit_code
        RETURNING t.number, t.status, t.sla_deadline, u.time_zone),
      events AS (
        INSERT INTO ticket_events (ticket_number, type, from_status, to_status, note, actor_sub, actor_role, occurred_at, recorded_at)
        SELECT number, 'SLA_BREACHED', NULL, NULL,
          'Melebihi SLA: batas waktu ' || local_time_text(sla_deadline, time_zone),
          ${SYSTEM_ACTOR.sub}, ${SYSTEM_ACTOR.role}, ${now}, ${now}
        FROM marked RETURNING 1)
      SELECT count(*)::int AS n FROM events`;
    if (row.n) this.tickets.changedOutsideWrite();
    return row.n;
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
