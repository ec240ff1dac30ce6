#!/bin/sh
# labdock registry node init: configure and start CNCF Distribution.
#   LABDOCK_TLS_CERT / LABDOCK_TLS_KEY  PEM certificate and key: serve HTTPS on :443
#   LABDOCK_HTPASSWD                     bcrypt htpasswd lines: require `docker login`
# Without them (image tests), plain HTTP on :5000 with no auth.
# The DTR-style control plane, Notary server and signer join as the registry issues land.
set -eu
state=/var/lib/labdock-registry
mkdir -p "$state/distribution" /etc/labdock/tls
addr=":5000"
tls=""
if [ -n "${LABDOCK_TLS_CERT:-}" ] && [ -n "${LABDOCK_TLS_KEY:-}" ]; then
  printf '%s\n' "$LABDOCK_TLS_CERT" > /etc/labdock/tls/server.crt
  umask 077
  printf '%s\n' "$LABDOCK_TLS_KEY" > /etc/labdock/tls/server.key
  umask 022
  addr=":443"
  tls="  tls:
    certificate: /etc/labdock/tls/server.crt
    key: /etc/labdock/tls/server.key"
fi
auth=""
if [ -n "${LABDOCK_HTPASSWD:-}" ]; then
  printf '%s\n' "$LABDOCK_HTPASSWD" > /etc/labdock/htpasswd
  chmod 600 /etc/labdock/htpasswd
  auth="auth:
  htpasswd:
    realm: labdock registry
    path: /etc/labdock/htpasswd"
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
  debug:
    addr: 127.0.0.1:5001
$tls
$auth
health:
  storagedriver:
    enabled: true
    interval: 10s
    threshold: 3
CONFIG
unset LABDOCK_TLS_KEY LABDOCK_HTPASSWD
exec docker-registry serve /etc/labdock/distribution.yml
