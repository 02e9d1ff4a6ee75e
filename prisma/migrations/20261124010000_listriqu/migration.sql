-- ListriQu: coverage and orders of customer-installation faults (R-I1…R-I5). Written by hand: the
-- Prisma CLI's schema engine cannot run offline. test/migrations.e2e.spec.ts checks it against schema.prisma.

-- CreateEnum
CREATE TYPE "ListriquOrderStatus" AS ENUM ('REQUEST', 'ORDER', 'PENUGASAN', 'SELESAI', 'BATAL');

-- CreateTable
CREATE TABLE "listriqu_coverage" (
    "province" TEXT NOT NULL,
    "start_date" DATE NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "listriqu_coverage_pkey" PRIMARY KEY ("province")
);

CREATE TABLE "listriqu_orders" (
    "ticket_number" VARCHAR(14) NOT NULL,
    "status" "ListriquOrderStatus" NOT NULL DEFAULT 'REQUEST',
    "willing_to_pay" BOOLEAN NOT NULL,
    "province" TEXT NOT NULL,
    "address" TEXT,
    "regency" TEXT,
    "district" TEXT,
    "village" TEXT,
    "landmark" TEXT,
    "latitude" DOUBLE PRECISION,
    "longitude" DOUBLE PRECISION,
    "preferred_visit_date" DATE,
    "repeat_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "listriqu_orders_pkey" PRIMARY KEY ("ticket_number")
);

-- CreateIndex
CREATE INDEX "listriqu_orders_updated_at_ticket_number_idx" ON "listriqu_orders"("updated_at", "ticket_number");
CREATE INDEX "listriqu_orders_status_updated_at_ticket_number_idx" ON "listriqu_orders"("status", "updated_at", "ticket_number");

-- AddForeignKey
ALTER TABLE "listriqu_orders" ADD CONSTRAINT "listriqu_orders_ticket_number_fkey" FOREIGN KEY ("ticket_number") REFERENCES "tickets"("number") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Seeded coverage (R-I1; API.md "Create"). The NTB start date is DOMAIN.md's Reading (2021-06-07).
INSERT INTO "listriqu_coverage" ("province", "start_date", "updated_at") VALUES
    ('BANTEN', DATE '2021-04-05', now()),
    ('DKI JAKARTA', DATE '2021-04-05', now()),
    ('JAWA BARAT', DATE '2021-04-05', now()),
    ('JAWA TENGAH', DATE '2021-04-05', now()),
    ('DI YOGYAKARTA', DATE '2021-04-05', now()),
    ('JAWA TIMUR', DATE '2021-04-05', now()),
    ('KALIMANTAN BARAT', DATE '2021-06-07', now()),
    ('NUSA TENGGARA BARAT', DATE '2021-06-07', now()),
    ('BALI', DATE '2021-07-07', now()),
    ('KALIMANTAN TIMUR', DATE '2021-07-07', now()),
    ('KALIMANTAN UTARA', DATE '2021-07-07', now()),
    ('KEPULAUAN BANGKA BELITUNG', DATE '2021-07-13', now()),
    ('LAMPUNG', DATE '2021-07-13', now()),
    ('KALIMANTAN TENGAH', DATE '2021-07-26', now()),
    ('KALIMANTAN SELATAN', DATE '2021-07-26', now()),
    ('SUMATERA BARAT', DATE '2021-07-26', now());
