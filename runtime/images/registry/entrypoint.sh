#!/bin/sh
# labdock registry node init. For now: Distribution only; the control plane,
# Notary server and signer join it as the registry issues land.
set -eu
mkdir -p /var/lib/labdock-registry/distribution
exec docker-registry serve /etc/labdock/distribution.yml
