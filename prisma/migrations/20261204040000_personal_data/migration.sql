-- DOMAIN.md §18 (R-P1…R-P5), docs/privacy.md.

-- R-P1: who saw whose personal data. One row per answer; the arrays are aligned, one element per ticket
-- (or per customer shown without a ticket): ticket_numbers[i] of the customer id_pels[i] / phones[i]
-- (phones as apkt_phone_key gives them). Partitioned by day, so that the log's retention
-- (PERSONAL_DATA_ACCESS_LOG_DAYS) drops whole partitions instead of deleting rows. The partitions live in
-- their own schema: they are storage, not tables of the model (test/migrations.e2e.spec.ts).
CREATE SCHEMA "apkt_access_log";

CREATE TABLE "personal_data_access_log" (
    "id" BIGSERIAL NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "sub" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "endpoint" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "ticket_numbers" TEXT[] NOT NULL,
    "id_pels" TEXT[] NOT NULL,
    "phones" TEXT[] NOT NULL,
    CONSTRAINT "personal_data_access_log_pkey" PRIMARY KEY ("at", "id")
) PARTITION BY RANGE ("at");

CREATE INDEX "personal_data_access_log_sub_at_id_idx" ON "personal_data_access_log" ("sub", "at", "id");
CREATE INDEX "personal_data_access_log_id_pels_idx" ON "personal_data_access_log" USING GIN ("id_pels");
CREATE INDEX "personal_data_access_log_phones_idx" ON "personal_data_access_log" USING GIN ("phones");
CREATE INDEX "personal_data_access_log_ticket_numbers_idx" ON "personal_data_access_log" USING GIN ("ticket_numbers");

-- The day partitions [first, last] (UTC days), each created once; replicas calling it together wait
-- for each other on the advisory lock instead of racing on CREATE TABLE.
CREATE FUNCTION "apkt_access_log_ensure_partitions"(first DATE, last DATE) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  d DATE;
  created INTEGER := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('apkt_access_log_partitions'));
  d := first;
  WHILE d <= last LOOP
    IF to_regclass(format('apkt_access_log.p%s', to_char(d, 'YYYYMMDD'))) IS NULL THEN
      EXECUTE format('CREATE TABLE apkt_access_log.%I PARTITION OF public.personal_data_access_log FOR VALUES FROM (%L) TO (%L)',
        'p' || to_char(d, 'YYYYMMDD'), (d::timestamp AT TIME ZONE 'UTC'), ((d + 1)::timestamp AT TIME ZONE 'UTC'));
      created := created + 1;
    END IF;
    d := d + 1;
  END LOOP;
  RETURN created;
END $$;

-- Drops the day partitions that end at or before `before` (the retention of the log itself).
CREATE FUNCTION "apkt_access_log_drop_before"(before DATE) RETURNS INTEGER
LANGUAGE plpgsql AS $$
DECLARE
  p RECORD;
  dropped INTEGER := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext('apkt_access_log_partitions'));
  FOR p IN SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE i.inhparent = 'public.personal_data_access_log'::regclass AND n.nspname = 'apkt_access_log'
             AND c.relname ~ '^p[0-9]{8}$' AND to_date(substr(c.relname, 2), 'YYYYMMDD') < before LOOP
    EXECUTE format('DROP TABLE apkt_access_log.%I', p.relname);
    dropped := dropped + 1;
  END LOOP;
  RETURN dropped;
END $$;

SELECT "apkt_access_log_ensure_partitions"((now() AT TIME ZONE 'UTC')::date - 1, (now() AT TIME ZONE 'UTC')::date + 7);

-- R-P3, R-P4: each erasure, without the data it erased.
CREATE TABLE "personal_data_erasures" (
    "id" UUID NOT NULL,
    "erased_at" TIMESTAMPTZ(3) NOT NULL,
    "by_sub" TEXT NOT NULL,
    "by_role" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "records" INTEGER NOT NULL,
    CONSTRAINT "personal_data_erasures_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "personal_data_erasures_erased_at_idx" ON "personal_data_erasures" ("erased_at");

-- R-P5: customer lookups per person and minute, shared by every replica (one upserted row per window).
CREATE TABLE "lookup_rate_windows" (
    "sub" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "count" INTEGER NOT NULL,
    CONSTRAINT "lookup_rate_windows_pkey" PRIMARY KEY ("sub", "window_start")
);
CREATE INDEX "lookup_rate_windows_window_start_idx" ON "lookup_rate_windows" ("window_start");

-- R-P4: the retention job reads only the done tickets that still hold personal data, oldest first.
CREATE INDEX "tickets_personal_data_due_idx" ON "tickets" ("closed_at")
  WHERE "status" IN ('DITUTUP', 'BATAL', 'ISSUE_CLOSED')
    AND ("customer_name" IS NOT NULL OR "customer_phone" IS NOT NULL OR "customer_id_pel" IS NOT NULL
         OR "customer_meter_number" IS NOT NULL OR "customer_address" IS NOT NULL);
