#!/bin/sh
# labdock registry node init.
# With a session's TLS material (LABDOCK_TLS_CERT/KEY) and admin (LABDOCK_ADMIN,
# "name:bcrypt-hash"): Distribution listens on loopback only, and labdock's
# control plane (/opt/labdock/control-plane.js) serves HTTPS on :443 in front
# of it — authentication, authorization, health.
# With LABDOCK_NOTARY_PASSPHRASE too: Notary server and signer on PostgreSQL
# (start-notary.sh), served by the control plane under /v2/<gun>/_trust/.
# Without them (image tests): Distribution alone, plain HTTP on :5000.
# Distribution's notifications go to the control plane on loopback :5002 with a
# token made here, or to LABDOCK_EVENTS_URL with LABDOCK_EVENTS_TOKEN (tests).
set -eu
state=/var/lib/labdock-registry
# Notary's PostgreSQL cluster (start-notary.sh starts it; stop_registry stops it).
pgdata=$state/notary/postgres
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

# Clean stop (docker stop, a session pause): tini passes SIGTERM to this shell, which stops the
# control plane, Notary, Distribution, then PostgreSQL with a fast shutdown (a checkpoint, so the
# next start needs no crash recovery). Set before anything starts, so a stop during start-up is clean too.
stop_registry() {
  trap - TERM INT
  # Notary's start (start-notary.sh, beside the control plane) may still be running: it starts nothing more.
  [ -z "${notary_start:-}" ] || kill -TERM "$notary_start" 2>/dev/null || true
  for name in node notary-server notary-signer docker-registry; do
    pids=$(pidof "$name" || true)
    [ -z "$pids" ] || kill -TERM $pids 2>/dev/null || true
  done
  # 10 s: each exits within a second of SIGTERM; PostgreSQL waits until its clients are gone.
  i=0
  while pidof node notary-server notary-signer docker-registry >/dev/null && [ "$i" -lt 100 ]; do
    sleep 0.1
    i=$((i + 1))
  done
  if [ -n "${pgdata:-}" ] && [ -s "$pgdata/postmaster.pid" ]; then
    runuser -u postgres -- "$pgbin/pg_ctl" -D "$pgdata" -m fast -w -t 15 stop >/dev/null 2>&1 || true
  fi
  exit "${1:-0}"
}
trap stop_registry TERM INT
mkdir -p "$state/distribution" /etc/labdock/tls
addr=":5000"
if [ -n "${LABDOCK_TLS_CERT:-}" ] && [ -n "${LABDOCK_TLS_KEY:-}" ]; then
  printf '%s\n' "$LABDOCK_TLS_CERT" > /etc/labdock/tls/server.crt
  (umask 077 && printf '%s\n' "$LABDOCK_TLS_KEY" > /etc/labdock/tls/server.key)
  addr="127.0.0.1:5000"
  LABDOCK_EVENTS_URL="http://127.0.0.1:5002/events"
  LABDOCK_EVENTS_TOKEN=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
fi
cat > /etc/labdock/distribution.yml <<CONFIG
version: 0.1
log:
  level: info
  formatter: text
storage:
  filesystem:
    rootdirectory: $state/distribution
  delete:
    enabled: true
  redirect:
    disable: true
http:
  addr: $addr
  # Relative Location headers: clients reach us through the control plane's hostname and port.
  relativeurls: true
  debug:
    addr: 127.0.0.1:5001
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
CONFIG
if [ -n "${LABDOCK_EVENTS_URL:-}" ]; then
  # Manifest events only (blobs are application/octet-stream); a second between retries.
  cat >> /etc/labdock/distribution.yml <<CONFIG
notifications:
  events:
    includereferences: true
  endpoints:
    - name: labdock-control-plane
      url: $LABDOCK_EVENTS_URL
      headers:
        Authorization: [Bearer $LABDOCK_EVENTS_TOKEN]
      timeout: 3s
      threshold: 5
      backoff: 1s
      ignoredmediatypes:
        - application/octet-stream
CONFIG
fi
export LABDOCK_EVENTS_TOKEN="${LABDOCK_EVENTS_TOKEN:-}"
unset LABDOCK_TLS_KEY
if [ "$addr" = ":5000" ]; then
  exec docker-registry serve /etc/labdock/distribution.yml
fi
docker-registry serve /etc/labdock/distribution.yml >/var/log/distribution.log 2>&1 &
# Notary (PostgreSQL, signer, server: ~1.5 s) starts beside the control plane, not before it: the
# registry answers /_ping and serves images at once, and trust requests wait for Notary
# (control-plane/notary-ready.ts). If Notary cannot start, the node stops, as it did before.
notary_start=
if [ -n "${LABDOCK_NOTARY_PASSPHRASE:-}" ]; then
  ( . /usr/local/lib/labdock/start-notary.sh ) &
  notary_start=$!
  unset LABDOCK_NOTARY_PASSPHRASE
  export LABDOCK_NOTARY_URL=http://127.0.0.1:4443
fi
export LABDOCK_STATE="$state"
# Not exec'd: this shell stays to run stop_registry on SIGTERM (a trapped signal interrupts `wait`).
node /opt/labdock/control-plane.js &
control_plane=$!
if [ -n "$notary_start" ]; then
  notary_status=0
  wait "$notary_start" || notary_status=$?
  if [ "$notary_status" -ne 0 ]; then
    echo "labdock-registry: Notary did not start (exit $notary_status); stopping the registry node" >&2
    stop_registry 1
  fi
fi
wait "$control_plane" || true
stop_registry
