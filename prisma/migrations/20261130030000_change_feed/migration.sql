-- R-F1, R-F4: the change feed (docs/change-feed.md). Every write to a ticket row, whoever makes it (the
-- one-statement create, TicketsService.change, the jobs' set-based batches, anything later), is stamped
-- with the writing transaction's id by this trigger, so no code path can forget it. The feed reads the
-- rows whose stamp a reader's previous snapshot did not see. No NOTIFY here: PostgreSQL serialises the
-- commits of notifying transactions, which halved concurrent creates; replicas poll a snapshot instead.
-- A constant default adds the column without rewriting a row; rows written before it carry 0, which
-- only the read "from the beginning" returns.
ALTER TABLE "tickets" ADD COLUMN "change_xid" BIGINT NOT NULL DEFAULT 0;

CREATE INDEX "tickets_change_xid_number_idx" ON "tickets" ("change_xid", "number");

CREATE FUNCTION "tickets_stamp_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW."change_xid" := pg_current_xact_id()::text::bigint;
  RETURN NEW;
END
$$;

CREATE TRIGGER "tickets_stamp_change" BEFORE INSERT OR UPDATE ON "tickets"
  FOR EACH ROW EXECUTE FUNCTION "tickets_stamp_change"();
