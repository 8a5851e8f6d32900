# Sourced by start-swarm.sh and start-swarm-nodes.sh: the test swarm's own link. A bridge on this
# host that every node's network namespace joins by a veth pair, so the manager advertises an
# address the worker nodes can reach (127.0.0.1 is each namespace's own loopback) and nothing
# outside this machine can. 10.214.0.0/24: clear of Docker's pools and of test/support/peer-host.ts.
SWARM_BRIDGE=hdswarm0
SWARM_NET=10.214.0
SWARM_MANAGER_IP=$SWARM_NET.1

ensure_swarm_bridge() {
  if ! ip link show "$SWARM_BRIDGE" >/dev/null 2>&1; then
    ip link add "$SWARM_BRIDGE" type bridge
    ip addr add "$SWARM_MANAGER_IP/24" dev "$SWARM_BRIDGE"
  fi
  ip link set "$SWARM_BRIDGE" up
  # The nodes reach what this host reaches, from this host's address, as machines on one LAN
  # would (a registry lookup on a worker then fails or succeeds as on the manager, not by a
  # time-out of its own). Docker's FORWARD policy is DROP, and br_netfilter, where loaded, sends
  # bridged frames between nodes through FORWARD too.
  iptables -C FORWARD -i "$SWARM_BRIDGE" -j ACCEPT 2>/dev/null || iptables -I FORWARD -i "$SWARM_BRIDGE" -j ACCEPT
  iptables -C FORWARD -o "$SWARM_BRIDGE" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT 2>/dev/null ||
    iptables -I FORWARD -o "$SWARM_BRIDGE" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
  iptables -t nat -C POSTROUTING -s "$SWARM_NET.0/24" ! -o "$SWARM_BRIDGE" -j MASQUERADE 2>/dev/null ||
    iptables -t nat -A POSTROUTING -s "$SWARM_NET.0/24" ! -o "$SWARM_BRIDGE" -j MASQUERADE
}
