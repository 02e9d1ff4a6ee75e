-- Foundation and ticket core (R-T1..R-T6, R-S1, R-E1, R-E2). Written by hand: the Prisma CLI's
-- schema engine cannot run offline. test/schema-match.e2e-spec.ts checks it against schema.prisma.

-- CreateEnum
CREATE TYPE "TicketKind" AS ENUM ('GANGGUAN', 'KELUHAN');
CREATE TYPE "TicketStatus" AS ENUM ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'NYALA_SEMENTARA', 'NYALA', 'DIPROSES', 'SELESAI', 'DITUTUP', 'BATAL', 'ISSUE_CLOSED');
CREATE TYPE "Channel" AS ENUM ('CC123', 'PLN_MOBILE', 'OTHER');
CREATE TYPE "WoType" AS ENUM ('AUTODISPATCH', 'IML_LISTRIQU', 'IML_NON_LISTRIQU');
CREATE TYPE "CloseReason" AS ENUM ('CONFIRMED', 'NO_CONFIRMATION', 'RE_REPORTED');
CREATE TYPE "EscalationCategory" AS ENUM ('LAPOR_ULANG', 'LAPORAN_MELEBIHI_SLA', 'URGENT', 'CALLBACK_PELANGGAN', 'REQUEST_CALLBACK');
CREATE TYPE "EscalationStatus" AS ENUM ('OPEN', 'CLAIMED', 'DONE');

-- CreateTable
CREATE TABLE "units" (
    "code" VARCHAR(3) NOT NULL,
    "name" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL DEFAULT 'Asia/Jakarta',
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "units_pkey" PRIMARY KEY ("code")
);

CREATE TABLE "policies" (
    "id" TEXT NOT NULL,
    "kind" "TicketKind" NOT NULL,
    "problem_type" TEXT,
    "sub_type" TEXT,
    "sla_minutes" INTEGER NOT NULL,
    "confirmation_window_minutes" INTEGER NOT NULL,
    "auto_transfer_minutes" INTEGER,
    "always_urgent" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "policies_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "tickets" (
    "number" VARCHAR(14) NOT NULL,
    "kind" "TicketKind" NOT NULL,
    "unit_code" VARCHAR(3) NOT NULL,
    "channel" "Channel" NOT NULL,
    "status" "TicketStatus" NOT NULL,
    "customer_name" TEXT,
    "customer_phone" TEXT,
    "customer_id_pel" VARCHAR(12),
    "customer_meter_number" VARCHAR(11),
    "customer_address" TEXT,
    "customer_province" TEXT,
    "problem_type" TEXT NOT NULL,
    "sub_type" TEXT,
    "wo_type" "WoType",
    "description" TEXT NOT NULL,
    "urgent" BOOLEAN NOT NULL DEFAULT false,
    "reported_at" TIMESTAMPTZ(3) NOT NULL,
    "sla_deadline" TIMESTAMPTZ(3) NOT NULL,
    "over_sla" BOOLEAN NOT NULL DEFAULT false,
    "confirmation_window_minutes" INTEGER NOT NULL,
    "auto_transfer_at" TIMESTAMPTZ(3),
    "resolved_at" TIMESTAMPTZ(3),
    "unit_answer" TEXT,
    "confirmation_deadline" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "close_reason" "CloseReason",
    "cancel_reason" TEXT,
    "update_count" INTEGER NOT NULL DEFAULT 0,
    "repeat_count" INTEGER NOT NULL DEFAULT 0,
    "jumlah_lapor_melebihi_sla" INTEGER NOT NULL DEFAULT 0,
    "re_reported" BOOLEAN NOT NULL DEFAULT false,
    "previous_number" VARCHAR(14),
    "reference_number" VARCHAR(14),
    "callback_at" TIMESTAMPTZ(3),
    "transferred_to_number" VARCHAR(14),
    "transferred_from_number" VARCHAR(14),
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "tickets_pkey" PRIMARY KEY ("number")
);

CREATE TABLE "ticket_events" (
    "id" BIGSERIAL NOT NULL,
    "ticket_number" VARCHAR(14) NOT NULL,
    "type" TEXT NOT NULL,
    "from_status" "TicketStatus",
    "to_status" "TicketStatus",
    "note" TEXT,
    "actor_sub" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "ticket_events_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "escalations" (
    "id" UUID NOT NULL,
    "category" "EscalationCategory" NOT NULL,
    "status" "EscalationStatus" NOT NULL DEFAULT 'OPEN',
    "ticket_number" VARCHAR(14),
    "note" TEXT NOT NULL,
    "callback_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_by" TEXT,
    "claimed_at" TIMESTAMPTZ(3),
    "lease_until" TIMESTAMPTZ(3),
    "done_at" TIMESTAMPTZ(3),
    "done_note" TEXT,
    CONSTRAINT "escalations_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "idempotency_keys" (
    "key" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "status_code" INTEGER,
    "response_body" TEXT,
    "locked_until" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "idempotency_keys_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "tickets_unit_code_updated_at_number_idx" ON "tickets"("unit_code", "updated_at", "number");
CREATE INDEX "tickets_updated_at_number_idx" ON "tickets"("updated_at", "number");
CREATE INDEX "tickets_previous_number_idx" ON "tickets"("previous_number");
CREATE INDEX "tickets_reference_number_idx" ON "tickets"("reference_number");
CREATE INDEX "ticket_events_ticket_number_id_idx" ON "ticket_events"("ticket_number", "id");
CREATE INDEX "escalations_status_category_created_at_idx" ON "escalations"("status", "category", "created_at");
CREATE INDEX "escalations_ticket_number_idx" ON "escalations"("ticket_number");
CREATE INDEX "idempotency_keys_created_at_idx" ON "idempotency_keys"("created_at");

-- AddForeignKey
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "units"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ticket_events" ADD CONSTRAINT "ticket_events_ticket_number_fkey" FOREIGN KEY ("ticket_number") REFERENCES "tickets"("number") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "escalations" ADD CONSTRAINT "escalations_ticket_number_fkey" FOREIGN KEY ("ticket_number") REFERENCES "tickets"("number") ON DELETE SET NULL ON UPDATE CASCADE;

-- Raw-SQL additions Prisma's schema language has no word for (listed in the schema-match test).
-- Partial indexes on the due columns, so that a job run costs what is due, not the table's size (R-J*).
CREATE INDEX "tickets_confirmation_due_idx" ON "tickets"("confirmation_deadline") WHERE "status" = 'SELESAI';
CREATE INDEX "tickets_auto_transfer_due_idx" ON "tickets"("auto_transfer_at") WHERE "status" = 'LAPOR' AND "auto_transfer_at" IS NOT NULL;
CREATE INDEX "tickets_sla_due_idx" ON "tickets"("sla_deadline") WHERE "over_sla" = false AND "status" IN ('LAPOR', 'PENUGASAN', 'PERJALANAN', 'PENGERJAAN', 'DIPROSES');
CREATE INDEX "escalations_open_queue_idx" ON "escalations"((("category" <> 'URGENT')), "created_at") WHERE "status" = 'OPEN';
CREATE INDEX "escalations_lease_due_idx" ON "escalations"("lease_until") WHERE "status" = 'CLAIMED';

-- R-T2: one PostgreSQL sequence per (kind, unit, year). nextval takes no row lock and waits for no
-- commit, so a burst for one unit forms no lock convoy and concurrent numbers never collide; gaps are
-- allowed. MAXVALUE makes overflow an error (2200H), never a duplicate.
CREATE FUNCTION "ticket_number_next"(p_kind TEXT, p_unit TEXT, p_year INTEGER) RETURNS BIGINT
LANGUAGE plpgsql AS $$
DECLARE
    seq_name TEXT := format('ticket_seq_%s_%s_%s', lower(p_kind), p_unit, p_year);
BEGIN
    IF p_kind !~ '^[GK]$' OR p_unit !~ '^[0-9]{3}$' OR p_year NOT BETWEEN 1000 AND 9999 THEN
        RAISE EXCEPTION 'invalid ticket number key (%, %, %)', p_kind, p_unit, p_year;
    END IF;
    IF to_regclass(seq_name) IS NULL THEN
        BEGIN
            EXECUTE format('CREATE SEQUENCE IF NOT EXISTS %I AS INTEGER MINVALUE 1 MAXVALUE 999999 NO CYCLE', seq_name);
        EXCEPTION WHEN unique_violation OR duplicate_table THEN
            NULL; -- a concurrent creator won the race; its sequence serves us too
        END;
    END IF;
    RETURN nextval(seq_name);
END;
$$;

-- Seeded policies (API.md "Policy"; R-S1, R-C1, R-K4, R-J2).
INSERT INTO "policies" ("id", "kind", "problem_type", "sub_type", "sla_minutes", "confirmation_window_minutes", "auto_transfer_minutes", "always_urgent", "updated_at") VALUES
    ('GANGGUAN.*.*', 'GANGGUAN', NULL, NULL, 180, 1440, NULL, false, now()),
    ('KELUHAN.*.*', 'KELUHAN', NULL, NULL, 180, 1440, NULL, false, now()),
    ('KELUHAN.INFORMASI.LAYANAN_KOMPOR_INDUKSI', 'KELUHAN', 'INFORMASI', 'LAYANAN_KOMPOR_INDUKSI', 180, 360, 60, false, now());
