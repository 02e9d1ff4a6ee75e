-- DOMAIN.md §16 (R-H1…R-H4): the organisation tree UID → UP3 → ULP.
-- Units registered before levels existed become ULPs without a parent (R-H1).
CREATE TYPE "UnitLevel" AS ENUM ('UID', 'UP3', 'ULP');

-- UID and UP3 codes are 2–5 digits; a ULP's stays the 3 digits of its tickets' numbers.
ALTER TABLE "units" ALTER COLUMN "code" TYPE VARCHAR(5);
ALTER TABLE "units" ADD COLUMN "level" "UnitLevel" NOT NULL DEFAULT 'ULP';
ALTER TABLE "units" ADD COLUMN "parent_code" VARCHAR(5);
-- R-W7: the over-SLA mail's addresses (sent by the outbound module)
ALTER TABLE "units" ADD COLUMN "notify_emails" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[];
ALTER TABLE "units" ADD CONSTRAINT "units_parent_code_fkey" FOREIGN KEY ("parent_code") REFERENCES "units"("code") ON DELETE RESTRICT ON UPDATE CASCADE;
CREATE INDEX "units_parent_code_idx" ON "units"("parent_code");

-- One row whose version every change of the tree raises in its own transaction: changes of the tree
-- queue on its lock (a concurrent pair of moves cannot build a cycle), and a replica that missed a
-- notification compares versions (src/units/unit-scopes.ts).
CREATE TABLE "unit_tree" (
    "id" INTEGER NOT NULL,
    "version" BIGINT NOT NULL,

    CONSTRAINT "unit_tree_pkey" PRIMARY KEY ("id")
);
INSERT INTO "unit_tree" ("id", "version") VALUES (1, 0);
