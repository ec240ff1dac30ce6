#!/bin/sh
# labdock registry node: Notary (server + signer, Debian's notary 0.7) on
# PostgreSQL, all state in the node's volume so trust data survives a restart.
# Run by the entrypoint beside the control plane when LABDOCK_NOTARY_PASSPHRASE
# is set; exits 0 once notary-server answers on 127.0.0.1:4443 (plain HTTP:
# only the control plane, which terminates TLS and authorizes, talks to it).
#   LABDOCK_NOTARY_PASSPHRASE  per-session passphrase the signer encrypts keys with
#
# Debian's notary has no sqlite driver (issue 6), hence PostgreSQL. It listens
# on a unix socket only, so `trust` auth reaches nothing outside this node.
set -eu
notary_state=${state:?}/notary
# The cluster's directory and PostgreSQL's programs: set by the entrypoint, which also stops the cluster.
pgdata=${pgdata:?}
pgbin=${pgbin:?}
tls=$notary_state/tls
mkdir -p "$notary_state" "$tls" /run/postgresql /var/log/postgresql /etc/labdock/notary
chown postgres:postgres /run/postgresql /var/log/postgresql

# Internal PKI for the server <-> signer gRPC link (mutual TLS). Made once per volume,
# in the background while PostgreSQL starts: only the signer needs it.
tls_made=
# server.crt is written last: a volume without it has no complete set.
if [ ! -s "$tls/server.crt" ]; then
  (
    umask 077
    cd "$tls"
    openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 3650 \
      -subj "/CN=labdock notary internal CA" -keyout ca.key -out ca.crt 2>/dev/null
    for who in signer server; do
      openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -subj "/CN=notary-$who" \
        -keyout "$who.key" -out "$who.csr" 2>/dev/null
      printf 'subjectAltName=IP:127.0.0.1,DNS:notary-%s\nextendedKeyUsage=serverAuth,clientAuth\n' "$who" > "$who.ext"
      openssl x509 -req -in "$who.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 3650 \
        -extfile "$who.ext" -out "$who.crt" 2>/dev/null
      rm -f "$who.csr" "$who.ext"
    done
  ) &
  tls_made=$!
fi

# First start: the image's ready cluster (make-notary-db.sh) becomes this
# node's. "initialized" is written once it is in place: a first start that
# died half-way is started over (there was no trust data yet).
if [ ! -e "$notary_state/initialized" ]; then
  rm -rf "$pgdata"
  if [ -d /usr/share/labdock/notary-postgres ]; then
    cp -a /usr/share/labdock/notary-postgres "$pgdata"
  else
    /usr/local/lib/labdock/make-notary-db.sh "$pgdata"
  fi
  chmod 0700 "$pgdata"
  touch "$notary_state/initialized"
fi
# A container that was killed leaves postmaster.pid behind; its pid may now
# belong to another process of this fresh container, which would stop
# postgres from starting. Nothing else can be running on this volume.
rm -f "$pgdata/postmaster.pid"
runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -l /var/log/postgresql/notary.log -w -t 60 start \
  -o "-c listen_addresses='' -c unix_socket_directories=/run/postgresql" >/dev/null

if [ -n "$tls_made" ] && ! wait "$tls_made"; then
  rm -f "$tls/server.crt"
  echo "labdock-registry: could not make Notary's internal TLS certificates" >&2
  exit 1
fi

cat > /etc/labdock/notary/signer.json <<CONFIG
{
  "server": { "grpc_addr": "127.0.0.1:7899", "tls_cert_file": "$tls/signer.crt", "tls_key_file": "$tls/signer.key", "client_ca_file": "$tls/ca.crt" },
  "logging": { "level": "info" },
  "storage": { "backend": "postgres", "db_url": "postgres://signer@/notarysigner?host=/run/postgresql&sslmode=disable", "default_alias": "labdock" }
}
CONFIG
cat > /etc/labdock/notary/server.json <<CONFIG
{
  "server": { "http_addr": "127.0.0.1:4443" },
  "trust_service": {
    "type": "remote", "hostname": "127.0.0.1", "port": "7899", "key_algorithm": "ecdsa",
    "tls_ca_file": "$tls/ca.crt", "tls_client_cert": "$tls/server.crt", "tls_client_key": "$tls/server.key"
  },
  "logging": { "level": "info" },
  "storage": { "backend": "postgres", "db_url": "postgres://server@/notaryserver?host=/run/postgresql&sslmode=disable" }
}
CONFIG

# The signer reads the passphrase for alias "labdock" from NOTARY_SIGNER_LABDOCK; only it gets it.
NOTARY_SIGNER_LABDOCK="$LABDOCK_NOTARY_PASSPHRASE" notary-signer -config /etc/labdock/notary/signer.json -logf logfmt >>/var/log/notary-signer.log 2>&1 &
unset LABDOCK_NOTARY_PASSPHRASE
# notary-server answers its health check before it has ever reached the
# signer: wait for the signer's TLS handshake, or the first publish after a
# start fails with "connection refused".
i=0
until openssl s_client -connect 127.0.0.1:7899 -CAfile "$tls/ca.crt" -cert "$tls/server.crt" -key "$tls/server.key" \
    -verify_return_error -brief </dev/null >/dev/null 2>&1; do
  i=$((i + 1))
  [ "$i" -lt 150 ] || { echo "labdock-registry: notary-signer did not come up; see /var/log/notary-signer.log" >&2; tail -20 /var/log/notary-signer.log >&2; exit 1; }
  sleep 0.2
done
notary-server -config /etc/labdock/notary/server.json -logf logfmt >>/var/log/notary-server.log 2>&1 &
i=0
until curl -fsS -o /dev/null http://127.0.0.1:4443/_notary_server/health; do
  i=$((i + 1))
  [ "$i" -lt 150 ] || { echo "labdock-registry: notary-server did not come up; see /var/log/notary-server.log" >&2; tail -20 /var/log/notary-server.log >&2; exit 1; }
  sleep 0.2
done
