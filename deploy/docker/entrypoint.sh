#!/bin/sh
# Starts the hub as the unprivileged `hubdeck` user (uid 10001). Started as root (the plain
# `docker run` case), it first gives that user the group of the mounted Docker socket — its gid
# differs from host to host — and the ownership of /data, then drops root for good. Started as
# 10001 already (Kubernetes' runAsUser), it runs the hub as it is.
set -eu
if [ "$(id -u)" = 0 ]; then
  groups=10001
  for sock in /var/run/docker.sock /run/podman/podman.sock; do
    [ -S "$sock" ] && groups="$groups,$(stat -c %g "$sock")"
  done
  [ "$(stat -c %u /data)" = 10001 ] || chown -R 10001:10001 /data
  exec setpriv --reuid=10001 --regid=10001 --groups="$groups" --inh-caps=-all --bounding-set=-all \
    env HOME=/data node /app/bin/hubdeck.js "$@"
fi
exec node /app/bin/hubdeck.js "$@"
