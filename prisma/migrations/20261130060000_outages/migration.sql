-- Mass outages ("Padam Meluas", DOMAIN.md §14, R-O1…R-O5). Written by hand: the Prisma CLI's schema
-- engine cannot run offline; test/migrations.e2e.spec.ts checks it against schema.prisma.

CREATE TABLE "outages" (
    "id" UUID NOT NULL,
    "unit_code" VARCHAR(3) NOT NULL,
    "title" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "area" TEXT NOT NULL,
    "etr" TIMESTAMPTZ(3),
    "status" "TicketStatus" NOT NULL,
    "unit_answer" TEXT,
    "cancel_reason" TEXT,
    "last_event_at" TIMESTAMPTZ(3) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,
    "closed_at" TIMESTAMPTZ(3),
    CONSTRAINT "outages_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "outages_unit_code_fkey" FOREIGN KEY ("unit_code") REFERENCES "units"("code") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "outages_unit_code_created_at_id_idx" ON "outages"("unit_code", "created_at", "id");
CREATE INDEX "outages_created_at_id_idx" ON "outages"("created_at", "id");

-- R-O3: the moves a propagation carries to the tickets, one committed batch at a time.
CREATE TABLE "outage_moves" (
    "id" BIGSERIAL NOT NULL,
    "outage_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "to_status" "TicketStatus",
    "etr" TIMESTAMPTZ(3),
    "title" TEXT NOT NULL,
    "unit_answer" TEXT,
    "reason" TEXT,
    "note" TEXT,
    "actor_sub" TEXT NOT NULL,
    "actor_role" TEXT NOT NULL,
    "occurred_at" TIMESTAMPTZ(3) NOT NULL,
    "cursor" VARCHAR(14) NOT NULL DEFAULT '',
    "reached" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL,
    "done_at" TIMESTAMPTZ(3),
    CONSTRAINT "outage_moves_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "outage_moves_outage_id_fkey" FOREIGN KEY ("outage_id") REFERENCES "outages"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "outage_moves_outage_id_id_idx" ON "outage_moves"("outage_id", "id");
CREATE INDEX "outage_moves_done_at_id_idx" ON "outage_moves"("done_at", "id");

-- tickets.outage_id exists since 20261130000000_ticket_facts (always null until now). The FK is added
-- NOT VALID and validated separately: no long lock on tickets while existing rows are checked.
ALTER TABLE "tickets" ADD CONSTRAINT "tickets_outage_id_fkey" FOREIGN KEY ("outage_id") REFERENCES "outages"("id") ON DELETE RESTRICT ON UPDATE CASCADE NOT VALID;
ALTER TABLE "tickets" VALIDATE CONSTRAINT "tickets_outage_id_fkey";
-- A propagation batch walks one outage's tickets in number order.
CREATE INDEX "tickets_outage_id_number_idx" ON "tickets"("outage_id", "number");
