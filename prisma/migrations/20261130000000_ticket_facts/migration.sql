-- The ticket fields this turn's rules add (DOMAIN.md R-K2 keterangan, R-R10 successor, R-M1 stored
-- facts, R-O2 outage, R-L4 rating) and R-J2's policy setting for the Gangguan a transfer creates.
-- Written by hand: the Prisma CLI's schema engine cannot run offline. test/migrations.e2e.spec.ts checks
-- it against schema.prisma. Nullable columns without defaults: adding them rewrites no row.

ALTER TABLE "tickets"
    ADD COLUMN "keterangan" TEXT,
    ADD COLUMN "successor_number" VARCHAR(14),
    ADD COLUMN "responded_at" TIMESTAMPTZ(3),
    ADD COLUMN "nyala_at" TIMESTAMPTZ(3),
    ADD COLUMN "sla_breached_at" TIMESTAMPTZ(3),
    ADD COLUMN "outage_id" UUID,
    ADD COLUMN "rating_score" INTEGER,
    ADD COLUMN "rating_comment" TEXT,
    ADD COLUMN "rated_at" TIMESTAMPTZ(3);

-- R-J2: the problem type of the Gangguan an auto-transfer creates (seeded for induction stoves).
ALTER TABLE "policies" ADD COLUMN "auto_transfer_problem_type" TEXT;
UPDATE "policies" SET "auto_transfer_problem_type" = 'KOMPOR_INDUKSI' WHERE "id" = 'KELUHAN.INFORMASI.LAYANAN_KOMPOR_INDUKSI';
