import type { PrismaService } from '../../src/database/prisma.service';

// Bulk rows straight into the database, for the job tests and benchmarks that need thousands of due
// tickets (creating them over HTTP would take longer than the test). Numbers use sequence values far
// above what the HTTP tests reach, so the two never collide.
export interface DueSeed {
  count: number;
  unitCode: string;
  kind: 'GANGGUAN' | 'KELUHAN';
  status: 'SELESAI' | 'LAPOR';
  /** SELESAI: the confirmation deadline; LAPOR: reportedAt (and auto_transfer_at = reportedAt + autoTransferMinutes) */
  at: Date;
  subType?: string | null;
  autoTransferMinutes?: number | null;
  firstSequence?: number;
}

export async function seedTickets(prisma: PrismaService, seed: DueSeed): Promise<string[]> {
  const letter = seed.kind === 'GANGGUAN' ? 'G' : 'K';
  const first = seed.firstSequence ?? 500000;
  const rows = await prisma.$queryRaw<{ number: string }[]>`
    INSERT INTO tickets (number, kind, unit_code, channel, status, customer_name, customer_phone, customer_id_pel,
      problem_type, sub_type, wo_type, description, urgent, reported_at, sla_deadline, over_sla, confirmation_window_minutes,
      auto_transfer_at, resolved_at, unit_answer, confirmation_deadline, last_event_at, version, created_at, updated_at)
    SELECT ${letter} || ${seed.unitCode} || '2026' || lpad((${first}::int + i)::text, 6, '0'),
      ${seed.kind}::"TicketKind", ${seed.unitCode}, 'CC123', ${seed.status}::"TicketStatus", 'Pelanggan ' || i, '0812' || lpad(i::text, 8, '0'), NULL,
      ${seed.subType ? 'INFORMASI' : 'PADAM_1_RUMAH'}, ${seed.subType ?? null}, ${seed.kind === 'GANGGUAN' ? 'AUTODISPATCH' : null}::"WoType",
      'Seeded ticket ' || i, false,
      ${seed.at}::timestamptz - interval '1 day', ${seed.at}::timestamptz - interval '21 hours', false,
      1440,
      CASE WHEN ${seed.status} = 'LAPOR' AND ${seed.autoTransferMinutes ?? null}::int IS NOT NULL
           THEN ${seed.at}::timestamptz + make_interval(mins => ${seed.autoTransferMinutes ?? 0}::int) END,
      CASE WHEN ${seed.status} = 'SELESAI' THEN ${seed.at}::timestamptz - interval '1 day' END,
      CASE WHEN ${seed.status} = 'SELESAI' THEN 'Sudah normal' END,
      CASE WHEN ${seed.status} = 'SELESAI' THEN ${seed.at}::timestamptz END,
      ${seed.at}::timestamptz - interval '1 day', 1, ${seed.at}::timestamptz - interval '1 day', ${seed.at}::timestamptz - interval '1 day'
    FROM generate_series(1, ${seed.count}::int) AS i
    RETURNING number`;
  return rows.map((r) => r.number);
}
