#!/usr/bin/env bash
# Two more machines for the test swarm (docs/architecture.md "Real components in tests"): each a
# dockerd in its own network namespace (a veth on the swarm link, its own host name, data-root,
# exec-root, containerd, cgroup parent and address pools), joined to this engine's swarm as a
# worker. Run after start-swarm.sh. Idempotent: a node whose engine answers and is in this swarm is
# left alone; one whose dockerd was stopped (a test of a dead node) is started again and rejoins.
# A node joins drained (no task is placed on it) until a test makes it active.
#
#   hd-node1  10.214.0.2  reached over ssh://root@10.214.0.2 (an sshd in its namespace whose
#             sessions talk to its engine); advertises 2 GPUs as Swarm generic resources
#             (NVIDIA-GPU, the way dockerd documents --node-generic-resource)
#   hd-node2  10.214.0.3  reached over tcp://10.214.0.3:2376 with mutual TLS
#
# What the tests read: /var/lib/hubdeck-nodes/ssh/{id_ed25519,known_hosts} (the ssh node's client
# key and host key) and /var/lib/hubdeck-nodes/tls (DOCKER_CERT_PATH for the TLS node).
#   start-swarm-nodes.sh          start or check both
#   start-swarm-nodes.sh stop N   stop node N's dockerd (what a dead machine looks like to the swarm)
set -euo pipefail
here=$(dirname "$0")
. "$here/swarm-link.sh"
root=/var/lib/hubdeck-nodes
run=/run/hubdeck-nodes
mkdir -p "$root" "$run"
# The images the multi-node tests place on workers (kept tiny: each node has its own image store).
IMAGES=(hubdeck-test/busybox-web:3)

ip_of() { echo "$SWARM_NET.$(($1 + 1))"; }
sock_of() { echo "unix://$run/node$1.sock"; }
on_node() { local n=$1; shift; docker -H "$(sock_of "$n")" "$@"; }

if [ "${1:-}" = stop ]; then
  n=${2:?usage: start-swarm-nodes.sh stop N}
  pid=$(cat "$run/node$n.pid" 2>/dev/null || true)
  [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || exit 0; sleep 1; done
  echo "nodes: dockerd of hd-node$n did not stop" >&2; exit 1
fi

ensure_swarm_bridge
[ "$(docker info --format '{{.Swarm.NodeAddr}}')" = "$SWARM_MANAGER_IP" ] ||
  { echo "nodes: the manager does not advertise $SWARM_MANAGER_IP; run scripts/start-swarm.sh first" >&2; exit 1; }

make_namespace() {
  local n=$1 ns=hd-node$1 veth=hdsw$1
  ip netns list | grep -qw "$ns" || ip netns add "$ns"
  if ! ip -n "$ns" link show eth0 >/dev/null 2>&1; then
    ip link del "$veth" 2>/dev/null || true
    ip link add "$veth" type veth peer name eth0 netns "$ns"
    ip link set "$veth" master "$SWARM_BRIDGE" up
    ip -n "$ns" addr add "$(ip_of "$n")/24" dev eth0
    ip -n "$ns" link set eth0 up
    ip -n "$ns" link set lo up
    ip -n "$ns" route add default via "$SWARM_MANAGER_IP"
  fi
}

# Mutual TLS for hd-node2's tcp:// endpoint, made once: a CA, a server certificate for its address
# and a client certificate, the three files DOCKER_CERT_PATH names (ca.pem, cert.pem, key.pem).
make_tls() {
  local d=$root/tls
  [ -f "$d/cert.pem" ] && return 0
  mkdir -p "$d/server"
  (
    cd "$d"
    openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj /CN=hubdeck-test-ca -keyout ca-key.pem -out ca.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj /CN=hd-node2 -keyout server/key.pem -out server.csr 2>/dev/null
    printf 'subjectAltName=IP:%s,DNS:hd-node2\nextendedKeyUsage=serverAuth\n' "$(ip_of 2)" > server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 -extfile server.ext -out server/cert.pem 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -subj /CN=hubdeck -keyout key.pem -out client.csr 2>/dev/null
    printf 'extendedKeyUsage=clientAuth\n' > client.ext
    openssl x509 -req -in client.csr -CA ca.pem -CAkey ca-key.pem -CAcreateserial -days 3650 -extfile client.ext -out cert.pem 2>/dev/null
    cp ca.pem server/ca.pem
    rm -f ./*.csr ./*.ext
    chmod 600 key.pem ca-key.pem server/key.pem
  )
}

start_dockerd() {
  local n=$1 ns=hd-node$1 extra=()
  if on_node "$n" info >/dev/null 2>&1; then return 0; fi
  mkdir -p "$root/node$n" "$run/node$n"
  case $n in
    1) extra=(--node-generic-resource NVIDIA-GPU=2) ;;
    2) extra=(-H "tcp://$(ip_of 2):2376" --tlsverify --tlscacert "$root/tls/server/ca.pem" --tlscert "$root/tls/server/cert.pem" --tlskey "$root/tls/server/key.pem") ;;
  esac
  # nsenter enters the network namespace only (`ip netns exec` would remount /sys and hide the
  # cgroup hierarchy dockerd needs); unshare gives the node a host name of its own, which is what
  # Swarm reports as the node's hostname. Local networks come from 10.22N.0.0/16, so a container
  # address names its node and none collides with this host's docker0 or docker_gwbridge.
  # From / (as start-podman.sh): a daemon must not hold a checkout that may be removed.
  cd /
  nohup nsenter --net="/run/netns/$ns" unshare --uts sh -c "hostname $ns && exec \"\$@\"" dockerd \
    dockerd -H "$(sock_of "$n")" "${extra[@]}" \
      --data-root "$root/node$n" --exec-root "$run/node$n" --pidfile "$run/node$n.pid" \
      --cgroup-parent "/hubdeck-node$n" --bip "10.22$n.255.1/24" \
      --default-address-pool "base=10.22$n.0.0/16,size=24" \
      > "$root/node$n.log" 2>&1 &
  cd - >/dev/null
  for _ in $(seq 1 60); do on_node "$n" info >/dev/null 2>&1 && return 0; sleep 1; done
  echo "nodes: dockerd of $ns did not start; last log lines:" >&2; tail -n 30 "$root/node$n.log" >&2; exit 1
}

# The ssh node's door: an sshd listening on its address only, whose sessions use its engine
# (SetEnv DOCKER_HOST), so `docker system dial-stdio` over ssh reaches that node.
start_sshd() {
  local d=$root/ssh cfg=$root/ssh/sshd_config
  mkdir -p "$d" /run/sshd
  [ -f "$d/host_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$d/host_ed25519"
  [ -f "$d/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -C hubdeck-swarm-tests -f "$d/id_ed25519"
  cp "$d/id_ed25519.pub" "$d/authorized_keys"
  echo "$(ip_of 1) $(cut -d' ' -f1,2 "$d/host_ed25519.pub")" > "$d/known_hosts"
  cat > "$cfg" <<EOF
ListenAddress $(ip_of 1):22
HostKey $d/host_ed25519
AuthorizedKeysFile $d/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PidFile $run/node1-sshd.pid
SetEnv DOCKER_HOST=$(sock_of 1) PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
EOF
  if [ -f "$run/node1-sshd.pid" ] && kill -0 "$(cat "$run/node1-sshd.pid")" 2>/dev/null; then return 0; fi
  nsenter --net=/run/netns/hd-node1 /usr/sbin/sshd -f "$cfg"
}

join_swarm() {
  local n=$1 state id token
  # A restarted engine takes a few seconds to reconnect to its swarm: wait for that rather than
  # leaving (a node that rejoins gets a new id, and the workspaces pinned to it lose their node).
  for _ in $(seq 1 30); do
    state=$(on_node "$n" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || true)
    [ "$state" = pending ] || break
    sleep 1
  done
  id=$(on_node "$n" info --format '{{.Swarm.NodeID}}' 2>/dev/null || true)
  if [ "$state" = active ] && [ -n "$id" ] && docker node inspect "$id" >/dev/null 2>&1; then return 0; fi
  # Its data-root remembers another swarm (the manager was made anew): leave that one.
  [ "$state" = inactive ] || on_node "$n" swarm leave --force >/dev/null 2>&1 || true
  # Left behind by the old swarm: the manager's entries for this host name, down for good.
  for old in $(docker node ls --filter "name=hd-node$n" --format '{{.ID}} {{.Status}}' | awk '$2 == "Down" {print $1}'); do
    docker node rm --force "$old" >/dev/null 2>&1 || true
  done
  token=$(docker swarm join-token -q worker)
  on_node "$n" swarm join --token "$token" --advertise-addr "$(ip_of "$n")" --listen-addr "$(ip_of "$n"):2377" "$SWARM_MANAGER_IP:2377" >/dev/null
  # Joined drained: the single-node tests' tasks stay on the manager (whose engine they reach), and
  # the multi-node tests make the workers active for as long as they run.
  docker node update --availability drain "$(on_node "$n" info --format '{{.Swarm.NodeID}}')" >/dev/null
}

load_images() {
  local n=$1 missing=()
  for img in "${IMAGES[@]}"; do on_node "$n" image inspect "$img" >/dev/null 2>&1 || missing+=("$img"); done
  [ ${#missing[@]} -eq 0 ] || docker save "${missing[@]}" | on_node "$n" load -q >/dev/null
}

make_tls
# A dead node should be seen as down in seconds, not the default ~15 s (5 s heartbeats).
docker swarm update --dispatcher-heartbeat 2s >/dev/null
for n in 1 2; do
  make_namespace "$n"
  start_dockerd "$n"
  join_swarm "$n"
  load_images "$n"
done
start_sshd
for _ in $(seq 1 60); do
  ready=$(docker node ls --filter role=worker --format '{{.Hostname}} {{.Status}}' | grep -c ' Ready$' || true)
  [ "$ready" -ge 2 ] && break
  sleep 1
done
[ "$ready" -ge 2 ] || { echo "nodes: workers not ready:" >&2; docker node ls >&2; exit 1; }
echo "nodes: hd-node1 ($(ip_of 1), ssh) and hd-node2 ($(ip_of 2), tcp+TLS) are swarm workers"
