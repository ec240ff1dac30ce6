#!/bin/sh
# labdock registry image: makes a PostgreSQL cluster holding Notary's two
# databases and their tables (notary-server.sql, notary-signer.sql), stopped.
# Run once at image build; each registry node copies it into its volume on
# first start (start-notary.sh), which saves initdb and the schema — seconds —
# on every session start. Holds no keys or secrets: those are made per node.
#   make-notary-db.sh /usr/share/labdock/notary-postgres
set -eu
pgdata=${1:?usage: make-notary-db.sh <data directory>}
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
socket=$(mktemp -d)
mkdir -p "$pgdata"
chown postgres:postgres "$pgdata" "$socket"
runuser -u postgres -- "$pgbin/initdb" -D "$pgdata" -U postgres --auth-local=trust --auth-host=reject -E UTF8 >/dev/null
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -w -t 60 start -o "-c listen_addresses='' -c unix_socket_directories=$socket" >/dev/null
for who in server signer; do
  runuser -u postgres -- "$pgbin/psql" -q -h "$socket" -U postgres -v ON_ERROR_STOP=1 \
    -c "CREATE ROLE $who LOGIN" -c "CREATE DATABASE notary$who OWNER $who" >/dev/null
  runuser -u postgres -- "$pgbin/psql" -q -h "$socket" -U "$who" -d "notary$who" -v ON_ERROR_STOP=1 \
    -f "$(dirname "$0")/notary-$who.sql" >/dev/null
done
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -w -t 60 stop -m fast >/dev/null
rm -rf "$socket" "$pgdata/log"
