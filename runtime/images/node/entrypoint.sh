#!/bin/sh
# labdock node init: configure and start the node's own dockerd, then idle so
# that `docker exec` shells and checks have a container to run in.
#   LABDOCK_REGISTRY_MIRROR  host:port of the hub mirror (pull-through for docker pull)
#   LABDOCK_REGISTRY_HOST    the session registry's hostname
#   LABDOCK_REGISTRY_CA      its CA certificate (PEM); trusted by dockerd and curl
set -eu
mkdir -p /etc/docker
mirror=${LABDOCK_REGISTRY_MIRROR:-}
if [ -n "$mirror" ]; then
  printf '{"registry-mirrors":["http://%s"],"insecure-registries":["%s"]}\n' "$mirror" "$mirror" > /etc/docker/daemon.json
else
  echo '{}' > /etc/docker/daemon.json
fi
if [ -n "${LABDOCK_REGISTRY_HOST:-}" ] && [ -n "${LABDOCK_REGISTRY_CA:-}" ]; then
  mkdir -p "/etc/docker/certs.d/$LABDOCK_REGISTRY_HOST"
  printf '%s\n' "$LABDOCK_REGISTRY_CA" > "/etc/docker/certs.d/$LABDOCK_REGISTRY_HOST/ca.crt"
  printf '%s\n' "$LABDOCK_REGISTRY_CA" > /usr/local/share/ca-certificates/labdock-registry.crt
  update-ca-certificates >/dev/null 2>&1 || true
fi
# overlay2 needs /var/lib/docker on a volume (not the container's own overlay).
dockerd --storage-driver=overlay2 >/var/log/dockerd.log 2>&1 &
exec sleep infinity
