-- R-F1: change-feed positions are signed so that one the service never gave is refused (400). With
-- AUTH_JWT_SECRET they are signed with it; a deployment that trusts only its OpenID Connect provider
-- (R-U1) has no shared secret, so the replicas share this key instead, made once by the first to start.
CREATE TABLE "change_feed_keys" (
  "id" INTEGER NOT NULL DEFAULT 1,
  "key" TEXT NOT NULL,
  "created_at" TIMESTAMPTZ(3) NOT NULL,
  CONSTRAINT "change_feed_keys_pkey" PRIMARY KEY ("id"),
  CONSTRAINT "change_feed_keys_one_row" CHECK ("id" = 1)
);
