#!/usr/bin/env bash
# Makes the local Docker engine a single-node Swarm manager for the Swarm engine's tests
# (docs/architecture.md "Real components in tests"), unless it already is one. Idempotent; fails loudly when the swarm cannot be made,
# because Swarm-backed tests must never skip. Run after scripts/start-dockerd.sh.
set -euo pipefail
state=$(docker info --format '{{.Swarm.LocalNodeState}}')
case "$state" in
  active)
    if [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ]; then
      echo "swarm: already a manager ($(docker info --format '{{.Swarm.NodeID}}'))"; exit 0
    fi
    echo "swarm: this engine is a worker of another swarm; the tests need a manager (docker swarm leave)" >&2; exit 1 ;;
  pending|error|locked)
    echo "swarm: engine is in state \"$state\"; leaving it and starting a fresh single-node swarm" >&2
    docker swarm leave --force >/dev/null ;;
esac
# Loopback: nothing outside this machine can join, and the address never changes.
docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 >/dev/null
for _ in $(seq 1 30); do
  [ "$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')" = "active true" ] && break
  sleep 1
done
[ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] || { echo "swarm: did not become a manager" >&2; exit 1; }
echo "swarm: single-node manager up ($(docker info --format '{{.Swarm.NodeID}}'))"
