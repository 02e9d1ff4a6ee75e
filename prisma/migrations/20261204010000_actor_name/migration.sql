-- R-U3: history records the display name of the person who acted (Event's actor.name), beside sub and
-- role. Null for systems (client-credentials callers without a name) and for the scheduled jobs.
ALTER TABLE ticket_events ADD COLUMN actor_name text;
-- an outage's move carries its actor's name to the events of its tickets (R-O3)
ALTER TABLE outage_moves ADD COLUMN actor_name text;
