#!/bin/sh
# labdock registry node init.
# With a session's TLS material (LABDOCK_TLS_CERT/KEY) and admin (LABDOCK_ADMIN,
# "name:bcrypt-hash"): Distribution listens on loopback only, and labdock's
# control plane (/opt/labdock/control-plane.js) serves HTTPS on :443 in front
# of it — authentication, authorization, health.
# Without them (image tests): Distribution alone, plain HTTP on :5000.
set -eu
state=/var/lib/labdock-registry
mkdir -p "$state/distribution" /etc/labdock/tls
addr=":5000"
if [ -n "${LABDOCK_TLS_CERT:-}" ] && [ -n "${LABDOCK_TLS_KEY:-}" ]; then
  printf '%s\n' "$LABDOCK_TLS_CERT" > /etc/labdock/tls/server.crt
  (umask 077 && printf '%s\n' "$LABDOCK_TLS_KEY" > /etc/labdock/tls/server.key)
  addr="127.0.0.1:5000"
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
unset LABDOCK_TLS_KEY
if [ "$addr" = ":5000" ]; then
  exec docker-registry serve /etc/labdock/distribution.yml
fi
docker-registry serve /etc/labdock/distribution.yml >/var/log/distribution.log 2>&1 &
export LABDOCK_STATE="$state"
exec node /opt/labdock/control-plane.js
