-- R-D1: run once on the primary's first start (docker-entrypoint-initdb.d): the role the replica
-- streams as and the slot that keeps WAL until the replica has it. Change the password in production.
CREATE ROLE replicator WITH REPLICATION LOGIN PASSWORD 'replicator';
SELECT pg_create_physical_replication_slot('apkt_replica_1');
