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
node /opt/labdock/control-plane.js &
control_plane=$!
stopping=
trap 'stopping=1; kill -TERM "$control_plane" 2>/dev/null || true' TERM INT
if [ -n "$notary_start" ]; then
  notary_status=0
  wait "$notary_start" || notary_status=$?
  if [ -z "$stopping" ] && [ "$notary_status" -ne 0 ]; then
    echo "labdock-registry: Notary did not start (exit $notary_status); stopping the registry node" >&2
    kill -TERM "$control_plane" 2>/dev/null || true
    wait "$control_plane" || true
    exit 1
  fi
fi
# A signal interrupts wait: wait again until the control plane has exited.
status=0
wait "$control_plane" || status=$?
while kill -0 "$control_plane" 2>/dev/null; do
  status=0
  wait "$control_plane" || status=$?
done
exit "$status"
