-- App problems forwarded to the IT service desk (R-A2…R-A5, R-J5). Written by hand: the Prisma CLI's
-- schema engine cannot run offline. test/migrations.e2e.spec.ts checks it against schema.prisma.

-- CreateEnum
CREATE TYPE "ItsmCallType" AS ENUM ('INCIDENT', 'SERVICE_REQUEST');
CREATE TYPE "ItsmStatus" AS ENUM ('LOGGED', 'ACTIVE', 'WAITING_FOR_CUSTOMER', 'WAITING_FOR_3RD_PARTY', 'WAITING_FOR_APPROVAL', 'RESOLVED', 'CLOSED');

-- CreateTable
CREATE TABLE "itsm_references" (
    "id" UUID NOT NULL,
    "itsm_ticket_id" VARCHAR(64) NOT NULL,
    "call_type" "ItsmCallType" NOT NULL,
    "category" TEXT NOT NULL,
    "status" "ItsmStatus" NOT NULL DEFAULT 'LOGGED',
    "email" TEXT NOT NULL,
    "customer_name" TEXT NOT NULL,
    "customer_phone" TEXT NOT NULL,
    "customer_id_pel" VARCHAR(12),
    "previous_itsm_ticket_id" VARCHAR(64),
    "status_changed_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "itsm_references_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "itsm_reference_notes" (
    "id" BIGSERIAL NOT NULL,
    "reference_id" UUID NOT NULL,
    "note" TEXT NOT NULL,
    "written_by" TEXT NOT NULL,
    "written_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "itsm_reference_notes_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "itsm_reference_tickets" (
    "ticket_number" VARCHAR(14) NOT NULL,
    "reference_id" UUID NOT NULL,
    "linked_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "itsm_reference_tickets_pkey" PRIMARY KEY ("ticket_number")
);

-- CreateIndex
CREATE UNIQUE INDEX "itsm_references_itsm_ticket_id_key" ON "itsm_references"("itsm_ticket_id");
CREATE INDEX "itsm_references_customer_id_pel_category_created_at_idx" ON "itsm_references"("customer_id_pel", "category", "created_at");
CREATE INDEX "itsm_references_customer_phone_category_created_at_idx" ON "itsm_references"("customer_phone", "category", "created_at");
CREATE INDEX "itsm_references_status_created_at_id_idx" ON "itsm_references"("status", "created_at", "id");
CREATE INDEX "itsm_references_created_at_id_idx" ON "itsm_references"("created_at", "id");
CREATE INDEX "itsm_reference_notes_reference_id_id_idx" ON "itsm_reference_notes"("reference_id", "id");
CREATE INDEX "itsm_reference_tickets_reference_id_linked_at_idx" ON "itsm_reference_tickets"("reference_id", "linked_at");

-- AddForeignKey
ALTER TABLE "itsm_reference_notes" ADD CONSTRAINT "itsm_reference_notes_reference_id_fkey" FOREIGN KEY ("reference_id") REFERENCES "itsm_references"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "itsm_reference_tickets" ADD CONSTRAINT "itsm_reference_tickets_reference_id_fkey" FOREIGN KEY ("reference_id") REFERENCES "itsm_references"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Raw-SQL additions Prisma's schema language has no word for (listed in the schema-match test).
-- R-J5: the references waiting for the customer, by when their status last changed, so that a job run
-- costs what is due, not the table's size.
CREATE INDEX "itsm_references_waiting_due_idx" ON "itsm_references"("status_changed_at") WHERE "status" = 'WAITING_FOR_CUSTOMER';
