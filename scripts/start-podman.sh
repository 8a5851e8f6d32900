#!/usr/bin/env bash
# Starts Podman's Docker-compatible API (`podman system service`) on its own socket, for the engine
# contract suite's podman endpoint (test/main/engine/docker/podman-contract.docker.test.ts). As root,
# beside dockerd, never on /var/run/docker.sock. Idempotent: a service that already answers is kept.
#   bash scripts/start-podman.sh          start (or keep), load the test images, wait for /_ping
#   bash scripts/start-podman.sh stop     stop the service this script started
# The configuration is Hubdeck's own file (CONTAINERS_CONF), so the machine's podman is left as it is:
#  - ulimits: rootful podman gives containers nofile=1048576 and nproc=4194304, above the hard
#    limits of many sandboxes and CI runners, and then no container starts ("error setting rlimit");
#    we give the service's own hard limits, as Docker's containers inherit dockerd's.
#  - cgroupfs and a file event log: there is no systemd here to manage cgroups or hold a journal.
set -euo pipefail
dir=${HUBDECK_PODMAN_DIR:-/run/hubdeck-podman}
sock="$dir/podman.sock"
export CONTAINERS_CONF="$dir/containers.conf"
IMAGES=(hubdeck-test/busybox-web:3 hubdeck-test/jupyter:1)

ping() { curl -sf --max-time 2 --unix-socket "$sock" http://podman/_ping >/dev/null 2>&1; }

if [ "${1:-}" = stop ]; then
  if [ -f "$dir/service.pid" ]; then kill "$(cat "$dir/service.pid")" 2>/dev/null || true; rm -f "$dir/service.pid"; fi
  echo "podman: stopped"; exit 0
fi

command -v podman >/dev/null || { echo "podman: not installed (apt-get install podman uidmap fuse-overlayfs)" >&2; exit 1; }
mkdir -p "$dir"; chmod 0711 "$dir"
# The service's own hard limits (podman lowers nproc to at most 32768 for itself at start-up):
# its containers can have no more, so they are what the configuration asks for.
service_limit() { awk -v n="$1" '$0 ~ "^Max "n {print $(NF-1)}' "/proc/$(cat "$dir/service.pid")/limits"; }
write_conf() {
  { echo "# Written by Hubdeck's scripts/start-podman.sh; see there for why."
    echo "[containers]"
    [ -n "$1" ] && echo "default_ulimits = [$1]"
    printf '\n[engine]\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\n'; } >"$CONTAINERS_CONF"
}
start_service() {
  rm -f "$sock"
  # From /, not the checkout: the service and every conmon it starts keep its working directory,
  # and a checkout removed under them fails each later container ("conmon: Failed to get working
  # directory"), seen when a clone that started the service was deleted.
  (cd / && exec nohup podman system service --time=0 "unix://$sock" >"$dir/service.log" 2>&1) &
  echo $! >"$dir/service.pid"
  for _ in $(seq 1 120); do ping && return 0; sleep 0.5; done
  echo "podman: the service did not answer on $sock; its log:" >&2; tail -n 20 "$dir/service.log" >&2; exit 1
}
stop_service() {
  kill "$(cat "$dir/service.pid")" 2>/dev/null || true
  for _ in $(seq 1 40); do ping || break; sleep 0.25; done
}

ulimits() { local f p; f=$(service_limit 'open files'); p=$(service_limit processes); echo "\"nofile=$f:$f\", \"nproc=$p:$p\""; }

# A service this script did not start is not ours to restart.
if ping && [ ! -f "$dir/service.pid" ]; then echo "podman: something else serves $sock; stop it first" >&2; exit 1; fi
# A service that answers with the configuration this script would write is kept.
if ping && [ -f "$dir/service.pid" ] && grep -qF "default_ulimits = [$(ulimits)]" "$CONTAINERS_CONF" 2>/dev/null; then
  echo "podman: already answering on $sock"
else
  [ -f "$dir/service.pid" ] && stop_service
  write_conf ""; start_service
  write_conf "$(ulimits)"
  stop_service; start_service
  echo "podman: service on unix://$sock (pid $(cat "$dir/service.pid")), containers get $(ulimits)"
fi

# Podman has its own image store: move the offline test images over from Docker.
for img in "${IMAGES[@]}"; do
  if podman image exists "$img"; then echo "podman: $img cached"; continue; fi
  docker image inspect "$img" >/dev/null 2>&1 || { echo "podman: $img missing in Docker (run scripts/build-test-images.sh first)" >&2; exit 1; }
  docker save "$img" | podman load -q >/dev/null
  echo "podman: loaded $img"
done

# Podman's bridge must not disturb the running dockerd.
ip link show docker0 >/dev/null
docker network ls >/dev/null
ping && echo "podman: ready (DOCKER_HOST=unix://$sock)"
