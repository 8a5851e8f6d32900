#!/usr/bin/env bash
# Makes the local Docker engine a Swarm manager for the Swarm engine's tests
# (docs/architecture.md "Real components in tests"), unless it already is one. Idempotent; fails loudly when the swarm cannot be made,
# because Swarm-backed tests must never skip. Run after scripts/start-dockerd.sh.
set -euo pipefail
. "$(dirname "$0")/swarm-link.sh"
ensure_swarm_bridge
state=$(docker info --format '{{.Swarm.LocalNodeState}}')
case "$state" in
  active)
    if [ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ]; then
      addr=$(docker info --format '{{.Swarm.NodeAddr}}')
      if [ "$addr" = "$SWARM_MANAGER_IP" ]; then
        echo "swarm: already a manager ($(docker info --format '{{.Swarm.NodeID}}'))"; exit 0
      fi
      # A swarm made before the worker nodes existed advertises an address they cannot reach.
      echo "swarm: manager advertises $addr, not $SWARM_MANAGER_IP; starting a fresh swarm" >&2
      docker swarm leave --force >/dev/null
    else
      echo "swarm: this engine is a worker of another swarm; the tests need a manager (docker swarm leave)" >&2; exit 1
    fi ;;
  pending|error|locked)
    echo "swarm: engine is in state \"$state\"; leaving it and starting a fresh single-node swarm" >&2
    docker swarm leave --force >/dev/null ;;
esac
# The test link (swarm-link.sh): the worker nodes in their namespaces can join, nothing outside
# this machine can, and the address never changes.
docker swarm init --advertise-addr "$SWARM_MANAGER_IP" --listen-addr "$SWARM_MANAGER_IP:2377" >/dev/null
for _ in $(seq 1 30); do
  [ "$(docker info --format '{{.Swarm.LocalNodeState}} {{.Swarm.ControlAvailable}}')" = "active true" ] && break
  sleep 1
done
[ "$(docker info --format '{{.Swarm.ControlAvailable}}')" = true ] || { echo "swarm: did not become a manager" >&2; exit 1; }
echo "swarm: manager up ($(docker info --format '{{.Swarm.NodeID}}'))"
