-- R-P3, R-P4 (docs/privacy.md): an over-SLA digest mail lists its tickets' areas (the customer's address),
-- which is personal data. Digests now keep their lines and ticket numbers in the payload, so that an
-- erasure finds the digests listing its tickets through this index and renders them again with
-- "[dihapus]" as the area.
CREATE INDEX "outbound_messages_digest_tickets_idx" ON "outbound_messages" USING gin (("payload" -> 'tickets')) WHERE "type" = 'sla.digest';
