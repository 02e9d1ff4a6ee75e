-- R-L1: finding the customer by ID Pel, meter number, phone (any written form) or name (substring,
-- ignoring case, accents and spacing), and the ticket list's filters (API.md "List"), each served by an
-- index. Written by hand: the Prisma CLI's schema engine cannot run offline. test/migrations.e2e.spec.ts
-- checks it against schema.prisma.

-- Both are trusted extensions (a database owner may create them) and ship with PostgreSQL.
CREATE EXTENSION IF NOT EXISTS "pg_trgm" WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS "unaccent" WITH SCHEMA public;

-- unaccent() is STABLE (it reads a dictionary named at run time); naming the dictionary makes the result
-- depend on its arguments only, which an index expression and a generated column need.
CREATE FUNCTION "apkt_unaccent"(TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

-- One written form per phone number: digits only, the country code 62 read as the trunk prefix 0, and a
-- subscriber number written without it (812…) given its 0 — so 0812…, 62812… and +62 812-… are one key.
-- The service searches with this same function, so stored and searched forms are normalised alike.
CREATE FUNCTION "apkt_phone_key"(TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN d LIKE '62%' THEN '0' || substr(d, 3)
    WHEN d LIKE '8%' THEN '0' || d
    ELSE d END
  FROM (SELECT regexp_replace($1, '[^0-9]', '', 'g') AS d) x
$$;

-- A name as it is searched: without accents, lower-case, without any white space.
CREATE FUNCTION "apkt_name_key"(TEXT) RETURNS TEXT
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
AS $$ SELECT lower(regexp_replace(public.apkt_unaccent($1), '\s+', '', 'g')) $$;

-- Generated columns: every insert path (the one-statement create, Prisma, the jobs) keeps them right
-- without knowing of them, and adding them back-fills every existing row.
ALTER TABLE "tickets"
    ADD COLUMN "customer_phone_key" TEXT GENERATED ALWAYS AS (public.apkt_phone_key("customer_phone")) STORED,
    ADD COLUMN "customer_name_key" TEXT GENERATED ALWAYS AS (public.apkt_name_key("customer_name")) STORED;

-- R-L1 lookup (newest first) and the list's equality filters.
CREATE INDEX "tickets_customer_id_pel_reported_at_idx" ON "tickets"("customer_id_pel", "reported_at");
CREATE INDEX "tickets_customer_meter_number_reported_at_idx" ON "tickets"("customer_meter_number", "reported_at");
CREATE INDEX "tickets_customer_phone_key_reported_at_idx" ON "tickets"("customer_phone_key", "reported_at");
CREATE INDEX "tickets_customer_name_key_idx" ON "tickets" USING GIN ("customer_name_key" gin_trgm_ops);

-- The list's other filters (API.md "List"), in the list's order (updatedAt, number) where it helps.
CREATE INDEX "tickets_problem_type_sub_type_updated_at_idx" ON "tickets"("problem_type", "sub_type", "updated_at");
CREATE INDEX "tickets_sub_type_updated_at_idx" ON "tickets"("sub_type", "updated_at");
CREATE INDEX "tickets_channel_updated_at_number_idx" ON "tickets"("channel", "updated_at", "number");
CREATE INDEX "tickets_reported_at_idx" ON "tickets"("reported_at");
-- Urgent and re-reported tickets are the few: partial indexes serve `=true`; `=false` is most of the
-- table, which the (updated_at, number) index already walks in the list's order.
CREATE INDEX "tickets_urgent_list_idx" ON "tickets"("updated_at", "number") WHERE "urgent";
CREATE INDEX "tickets_re_reported_list_idx" ON "tickets"("updated_at", "number") WHERE "re_reported";
