#!/usr/bin/env bash
# Starts a Docker engine for the test suite when none answers, and waits for it.
# Fails loudly (non-zero) if the engine does not come up: Docker-backed tests must never skip.
set -euo pipefail
if docker info >/dev/null 2>&1; then echo "dockerd: already running"; exit 0; fi
command -v dockerd >/dev/null || { echo "dockerd: not installed (apt-get install -y docker.io)" >&2; exit 1; }
log=${DOCKERD_LOG:-/var/log/hubdeck-dockerd.log}
# Sandboxed machines may lack overlayfs; let dockerd pick, but fall back to vfs if it cannot start.
# From /: a daemon must not hold the checkout it was started from (it may be removed under it).
start() { (cd / && exec nohup dockerd "$@" >"$log" 2>&1) & echo $! > /var/run/hubdeck-dockerd.pid; }
wait_up() { for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && return 0; sleep 1; done; return 1; }
start
if ! wait_up; then
  echo "dockerd: default start failed, retrying with --storage-driver=vfs" >&2
  kill "$(cat /var/run/hubdeck-dockerd.pid)" 2>/dev/null || true; sleep 2
  start --storage-driver=vfs
  wait_up || { echo "dockerd: did not start; last log lines:" >&2; tail -n 40 "$log" >&2; exit 1; }
fi
echo "dockerd: up ($(docker info --format '{{.ServerVersion}} {{.Driver}}'))"
