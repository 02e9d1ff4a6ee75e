-- Issues 27 and 30: a shared snapshot (outbound_payloads, 20261206150000) goes with the last message
-- using it, however the messages go. Deleting an endpoint deleted its messages and, in the same
-- statement, the snapshots no other message used; that missed two races, each leaving a snapshot that
-- nothing reads: a message written by a change committing while the endpoint was being deleted (removed
-- by the foreign key's cascade, which that statement never saw), and two endpoints deleted at once
-- (each still saw the other's messages). Now a statement trigger collects after every delete of
-- messages, the cascade's included, and deletions of endpoints take one lock in turn
-- (src/outbound/outbound.repository.ts, deleteWebhook), so the later one sees what the earlier removed.
CREATE FUNCTION outbound_payloads_collect() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM outbound_payloads p
  WHERE p.id IN (SELECT g.payload_id FROM gone g WHERE g.payload_id IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM outbound_messages m WHERE m.payload_id = p.id);
  RETURN NULL;
END
$$;

CREATE TRIGGER outbound_messages_payloads_collect AFTER DELETE ON outbound_messages
  REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION outbound_payloads_collect();
