#!/bin/sh
# R-D1: the replica's entrypoint. On an empty data folder it takes a base backup of the primary
# (pg_basebackup, shipped in the postgres image), marks it a standby (-R writes standby.signal and
# primary_conninfo) on the slot made by init-primary.sql; then it starts PostgreSQL as a hot standby.
# Environment: PRIMARY_HOST, REPLICATION_PASSWORD, PGDATA.
set -eu
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  until pg_isready -h "$PRIMARY_HOST" -U replicator; do sleep 1; done
  export PGPASSWORD="$REPLICATION_PASSWORD"
  pg_basebackup -h "$PRIMARY_HOST" -U replicator -D "$PGDATA" -X stream -S apkt_replica_1 -R -c fast
  chmod 700 "$PGDATA"
fi
exec postgres -c hot_standby=on -c hot_standby_feedback=on -c max_connections=300
