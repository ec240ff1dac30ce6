#!/bin/sh
# labdock node init (run by tini): configure and start the node's own dockerd,
# then idle so that `docker exec` shells and checks have a container to run in.
# The node is ready when `docker version` answers.
#   LABDOCK_REGISTRY_MIRROR  host:port of the hub mirror (pull-through for docker pull, plain HTTP)
#   LABDOCK_REGISTRY_HOST    the session registry's hostname
#   LABDOCK_REGISTRY_CA      its CA certificate (PEM); trusted by dockerd, curl, skopeo, notary
set -eu
fail() { echo "labdock-node: $*" >&2; exit 1; }

mirror=${LABDOCK_REGISTRY_MIRROR:-}
host=${LABDOCK_REGISTRY_HOST:-}
ca=${LABDOCK_REGISTRY_CA:-}
# Both end up in JSON and in a path: refuse anything that is not a plain host[:port].
case "$mirror$host" in *[!A-Za-z0-9.:_-]*) fail "registry mirror/host must be host[:port]: '$mirror' '$host'" ;; esac
case "$host" in .*) fail "registry host must not start with a dot: '$host'" ;; esac

mkdir -p /etc/docker
if [ -n "$mirror" ]; then
  printf '{"registry-mirrors":["http://%s"],"insecure-registries":["%s"]}\n' "$mirror" "$mirror" > /etc/docker/daemon.json
else
  echo '{}' > /etc/docker/daemon.json
fi

if [ -n "$host" ] && [ -n "$ca" ]; then
  case "$ca" in *"-----BEGIN CERTIFICATE-----"*) ;; *) fail "LABDOCK_REGISTRY_CA is not a PEM certificate" ;; esac
  mkdir -p "/etc/docker/certs.d/$host"
  printf '%s\n' "$ca" > "/etc/docker/certs.d/$host/ca.crt"
  # Trusted by curl, skopeo, openssl and Go programs through Debian's bundle. Written directly —
  # the bundle as the image has it, plus this CA, and the hashed link OpenSSL's CApath looks for —
  # because update-ca-certificates takes a second of CPU before dockerd could start, in every node of
  # a registry session at once. Kept in /usr/local/share too, so a learner's update-ca-certificates keeps it.
  printf '%s\n' "$ca" > /usr/local/share/ca-certificates/labdock-registry.crt
  bundle=/etc/ssl/certs/ca-certificates.crt
  [ -e "$bundle.labdock-image" ] || cp "$bundle" "$bundle.labdock-image"
  { cat "$bundle.labdock-image"; printf '%s\n' "$ca"; } > "$bundle.new" && mv "$bundle.new" "$bundle"
  printf '%s\n' "$ca" > /etc/ssl/certs/labdock-registry.pem
  ln -sf labdock-registry.pem "/etc/ssl/certs/$(openssl x509 -hash -noout -in /etc/ssl/certs/labdock-registry.pem).0"
  # The notary CLI talks to the session registry's trust server (the registry
  # host itself, like docker's content trust) and shares docker's trust dir,
  # so keys made by `docker trust`/signed pushes serve `notary` and back.
  mkdir -p /root/.notary
  printf '{"trust_dir":"/root/.docker/trust","remote_server":{"url":"https://%s","root_ca":"/etc/docker/certs.d/%s/ca.crt"}}\n' "$host" "$host" > /root/.notary/config.json
elif [ -n "$host$ca" ]; then
  # One without the other would leave the registry untrusted: say so instead of failing later on x509.
  fail "LABDOCK_REGISTRY_HOST and LABDOCK_REGISTRY_CA must be set together"
fi

# After a restart of the node (engine restart, host reboot) its filesystem keeps the pid
# files of the dockerd and containerd that died with it; a new process may hold the same
# pid, and dockerd would then refuse to start ("pid file found"). Nothing runs yet: clear them.
rm -f /var/run/docker.pid /var/run/docker/containerd/containerd.pid
# overlay2 needs /var/lib/docker on a volume (not on the container's own overlay).
dockerd --storage-driver=overlay2 >/var/log/dockerd.log 2>&1 &
dockerd_pid=$!

# `docker stop` (a pause) sends SIGTERM to tini, which passes it here: dockerd then stops the
# containers inside (their own stop timeouts) and its containerd, and unmounts, instead of all
# of it being killed with the node. The engine's stop timeout (stop-session.ts) leaves it room.
stop() {
  trap - TERM INT
  kill -TERM "$dockerd_pid" 2>/dev/null || true
  wait "$dockerd_pid" 2>/dev/null || true
  exit 0
}
trap stop TERM INT
# In the background and waited for: a trapped signal interrupts `wait`, never a foreground sleep.
sleep infinity &
wait $! || true
stop
